// Memory of a 200 MB multipart upload (issue 14): peak RSS growth while the built
// @org/cognite-files' `files.upload(metadata, blob, { multipartThreshold, partSize })` sends a
// file-backed `Blob` (`fs.openAsBlob` of a 200 MB temp file) in 16 MiB parts, at the client's
// default concurrency, to a loopback server in a child process that implements the CDF multipart
// flow: `POST /files/initmultipartupload?parts=N` (201, `{items: [file + uploadId + uploadUrls]}`,
// the URLs on the same server), `PUT` of each part (body discarded, bytes counted), and
// `POST /files/completemultipartupload`. Side by side with a floor: the same parts `PUT` with a
// bare `http.request` (keep-alive agent), `blob.slice(start, end).stream()` piped in, as many in
// flight as the client sends. Each measurement runs in a fresh process: a small multipart upload
// to warm up (modules, sockets, JIT), GC, RSS before, then RSS sampled every 2 ms during the
// upload; growth = peak − before. The server checks every byte arrived (per upload, by part).
import { fork } from "node:child_process";
import { createWriteStream, openAsBlob, rmSync } from "node:fs";
import { createServer, Agent as HttpAgent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { peakRssGrowth } from "./rss.mjs";
import { median } from "./stats.mjs";

const self = fileURLToPath(import.meta.url);
export const MULTIPART_BYTES = 200 * 1024 * 1024;
export const MULTIPART_PART = 16 * 1024 * 1024;
/** Peak RSS growth ≤ 3 × the part size. */
export const MULTIPART_TARGET = 3 * MULTIPART_PART;
/** The client's default `maxConcurrency` (parts in flight); the floor sends as many. */
export const MULTIPART_CONCURRENCY = 4;
const TOKEN = "pat_bench_token";

/** Writes `bytes` of non-constant content to a temp file, 1 MiB at a time; returns its path. */
async function writeTempFile(bytes) {
  const path = join(tmpdir(), `bench-multipart-${process.pid}-${Date.now()}.bin`);
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  async function* chunks() {
    for (let written = 0; written < bytes; written += chunk.length) {
      yield bytes - written >= chunk.length ? chunk : chunk.subarray(0, bytes - written);
    }
  }
  await pipeline(chunks(), createWriteStream(path));
  return path;
}

/** Asks the server how many bytes arrived for `uploadId`; throws unless it is `expected`. */
async function checkReceived(url, uploadId, expected) {
  const got = await (await fetch(`${url}/stats/${uploadId}`)).json();
  if (got.bytes !== expected)
    throw new Error(`upload ${uploadId}: the server got ${got.bytes} bytes, expected ${expected}`);
  return got;
}

const CONTENDERS = {
  /** The floor: every part PUT with a bare keep-alive http.request, the Blob slice's stream piped in. */
  "floor: node:http PUT per part (blob.slice().stream())": async (url, blob, partSize, run) => {
    globalThis.benchAgent ??= new HttpAgent({ keepAlive: true });
    const agent = globalThis.benchAgent;
    const uploadId = `floor-${process.pid}-${run}`;
    const parts = Math.ceil(blob.size / partSize);
    let next = 0;
    const putPart = (index) =>
      new Promise((resolve, reject) => {
        const start = index * partSize;
        const end = Math.min(start + partSize, blob.size);
        const req = request(`${url}/upload/${uploadId}/part/${index}`, {
          method: "PUT",
          agent,
          headers: { "content-type": "application/octet-stream", "content-length": end - start },
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`part ${index}: ${res.statusCode}`)),
          );
        });
        req.on("error", reject);
        pipeline(Readable.fromWeb(blob.slice(start, end).stream()), req).catch(reject);
      });
    const worker = async () => {
      while (next < parts) await putPart(next++);
    };
    await Promise.all(Array.from({ length: Math.min(MULTIPART_CONCURRENCY, parts) }, worker));
    return { uploadId, parts };
  },
  /** The client: files.upload, multipart (init → parts, default concurrency → complete). */
  "@org/cognite-files files.upload (multipart)": async (url, blob, partSize, run) => {
    const { createCogniteClient } = await import("@org/cognite-files");
    globalThis.benchClient ??= createCogniteClient({
      project: "bench",
      token: TOKEN,
      baseUrl: `${url}/api/v1/projects/{project}`,
      timeoutMs: 600_000,
    });
    const cdf = globalThis.benchClient;
    const file = await cdf.files.upload(
      { name: `pump-diagram-${run}.bin`, externalId: `bench-${run}`, mimeType: "application/octet-stream" },
      blob,
      { multipartThreshold: partSize, partSize },
    );
    return { uploadId: `upload-${file.id}`, parts: Math.ceil(blob.size / partSize) };
  },
};

/** In a child process: one contender, warmed up, measured. */
async function measure(name, url, path) {
  const run = CONTENDERS[name];
  const blob = await openAsBlob(path);
  // warm-up: a 4-part multipart upload of the first 4 MiB (modules, the agent's sockets, JIT)
  const warm = blob.slice(0, 4 * 1024 * 1024);
  const w = await run(url, warm, 1024 * 1024, 0);
  await checkReceived(url, w.uploadId, warm.size);
  const { result: done, growth, before, ms } = await peakRssGrowth(() => run(url, blob, MULTIPART_PART, 1));
  const stats = await checkReceived(url, done.uploadId, blob.size);
  if (stats.parts !== done.parts)
    throw new Error(`${name}: the server got ${stats.parts} parts, expected ${done.parts}`);
  return { growth, before, ms, parts: done.parts, maxInFlight: stats.maxInFlight };
}

function child(args, execArgv = []) {
  return fork(self, args, { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
}

/**
 * Peak RSS growth of each contender, median of `runs` fresh processes each, run alternately.
 * @returns {Promise<{ name: string, growth: number, growths: number[], mbPerSecond: number, parts: number, maxInFlight: number }[]>}
 */
export async function multipartUpload({ runs = 3 } = {}) {
  const path = await writeTempFile(MULTIPART_BYTES);
  const server = child(["server"]);
  try {
    const port = await new Promise((resolve, reject) => {
      server.once("message", (m) => resolve(m.port));
      server.once("exit", (code) => reject(new Error(`multipart upload server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const results = Object.fromEntries(Object.keys(CONTENDERS).map((n) => [n, []]));
    for (let round = 0; round < runs; round++) {
      const names = Object.keys(CONTENDERS);
      for (const name of round % 2 ? names.reverse() : names) {
        const worker = child(["measure", name, url, path], ["--expose-gc"]);
        const result = await new Promise((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("exit", (code) =>
            reject(new Error(`multipart upload measurement of ${name} exited with ${code}`)),
          );
        });
        worker.kill();
        if (result.error) throw new Error(`${name}: ${result.error}`);
        results[name].push(result);
      }
    }
    return Object.entries(results).map(([name, rows]) => ({
      name,
      growth: median(rows.map((r) => r.growth)),
      growths: rows.map((r) => r.growth),
      mbPerSecond: median(rows.map((r) => MULTIPART_BYTES / 1024 / 1024 / (r.ms / 1000))),
      parts: rows[0].parts,
      maxInFlight: Math.max(...rows.map((r) => r.maxInFlight)),
    }));
  } finally {
    server.kill();
    rmSync(path, { force: true });
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (process.argv[1] === self && mode === "server") {
  const uploads = new Map(); // uploadId → { bytes, parts, inFlight, maxInFlight }
  let nextId = 4503599627370496;
  const stat = (id) => {
    let s = uploads.get(id);
    if (s === undefined) {
      s = { bytes: 0, parts: 0, inFlight: 0, maxInFlight: 0 };
      uploads.set(id, s);
    }
    return s;
  };
  const json = (res, status, value) => {
    const text = JSON.stringify(value);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "x-request-id": "req_bench",
    });
    res.end(text);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const part = /^\/upload\/([^/]+)\/part\/(\d+)$/.exec(url.pathname);
    if (req.method === "PUT" && part) {
      // a part: counted and discarded
      const s = stat(part[1]);
      s.inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
      req.on("data", (chunk) => {
        s.bytes += chunk.length;
      });
      req.on("end", () => {
        s.inFlight--;
        s.parts++;
        res.writeHead(200, { "content-length": 0 });
        res.end();
      });
      return;
    }
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      if (req.method === "POST" && url.pathname.endsWith("/files/initmultipartupload")) {
        const parts = Number(url.searchParams.get("parts"));
        const id = nextId++;
        const uploadId = `upload-${id}`;
        const now = Date.now();
        return json(res, 201, {
          items: [
            {
              ...body,
              id,
              uploaded: false,
              createdTime: now,
              lastUpdatedTime: now,
              uploadId,
              uploadUrls: Array.from(
                { length: parts },
                (_, i) => `${url.origin}/upload/${uploadId}/part/${i}?token=signed`,
              ),
            },
          ],
        });
      }
      if (req.method === "POST" && url.pathname.endsWith("/files/completemultipartupload")) {
        const s = uploads.get(body?.uploadId);
        if (s === undefined || s.inFlight !== 0)
          return json(res, 400, { error: { code: 400, message: "unknown upload or parts in flight" } });
        s.completed = true;
        return json(res, 200, {});
      }
      const stats = /^\/stats\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && stats) return json(res, 200, stat(stats[1]));
      json(res, 404, { error: { code: 404, message: `${req.method} ${url.pathname}` } });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  process.on("disconnect", () => process.exit(0));
} else if (process.argv[1] === self && mode === "measure") {
  const [name, url, path] = rest;
  measure(name, url, path).then(
    (result) => process.send(result, () => process.exit(0)),
    (error) => process.send({ error: String(error?.stack ?? error) }, () => process.exit(1)),
  );
} else if (process.argv[1] === self) {
  // run alone: node bench/lib/multipart-upload.mjs [runs] (after `turbo run build --filter=@org/cognite-files`)
  const { mb } = await import("./stats.mjs");
  const runs = Number(mode ?? (process.env.BENCH_QUICK === "1" ? 1 : 3));
  const rows = await multipartUpload({ runs });
  for (const row of rows) {
    console.log(
      `${row.name}: peak RSS growth ${mb(row.growth)} (runs: ${row.growths.map(mb).join(", ")}), ${row.mbPerSecond.toFixed(0)} MB/s, ${row.parts} parts, ≤ ${row.maxInFlight} in flight`,
    );
  }
  console.log(`target: peak RSS growth ≤ 3 × the part size (${mb(MULTIPART_TARGET)})`);
}
