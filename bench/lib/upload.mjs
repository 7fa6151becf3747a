// Memory of a streamed upload: peak RSS growth while 100 MB, sent in 64 KiB chunks (views of one
// buffer, never the whole), go through a multipart operation of the built @org/client-core
// on its Node default transport, to a loopback server (a child process) that discards the body.
// Side by side with the floor: the same bytes piped into a bare `http.request` (chunked) to the
// same server. Each measurement runs in a fresh process: warm-up upload, GC, RSS before, then RSS
// sampled every 2 ms during the upload; growth = peak − before. RSS is noisy (allocator, GC
// timing): read the two rows against each other, not against zero.
import { fork } from "node:child_process";
import { createServer, request } from "node:http";
import { fileURLToPath } from "node:url";
import { peakRssGrowth } from "./rss.mjs";
import { median } from "./stats.mjs";

const self = fileURLToPath(import.meta.url);
export const UPLOAD_BYTES = 100 * 1024 * 1024;
export const UPLOAD_CHUNK = 64 * 1024;

/**
 * `total` bytes as `chunk`-sized pieces, on demand (backpressure decides when). Every piece is a
 * view of one buffer filled once, so the source itself allocates nothing: what RSS grows by is
 * what the sender keeps (a buffered upload would grow by the whole 100 MB).
 */
async function* generate(total, chunk) {
  const buffer = Buffer.alloc(chunk, 0x61);
  for (let sent = 0; sent < total; sent += chunk) {
    yield Math.min(chunk, total - sent) === chunk ? buffer : buffer.subarray(0, total - sent);
  }
}

const CONTENDERS = {
  /** The floor: a bare http.request, the generated stream piped in (chunked). */
  "node:http pipe (floor)": async (url, total, chunk) => {
    const { pipeline } = await import("node:stream/promises");
    await new Promise((resolve, reject) => {
      const req = request(`${url}/upload`, { method: "POST", headers: { "content-type": "application/octet-stream" } });
      req.on("response", (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      pipeline(generate(total, chunk), req).catch(reject);
    });
  },
  /** The client on its default (Node) transport: a multipart operation with toFile(stream). */
  "@org/client-core multipart (Node transport)": async (url, total, chunk) => {
    const { createCoreClient, toFile } = await import("@org/client-core");
    const client = createCoreClient(
      { packageName: "@org/bench", packageVersion: "0.0.0", errorBrand: "bench", defaultBaseUrl: url },
      { baseUrl: url, maxRetries: 0, timeoutMs: 600_000 },
    );
    const operation = {
      id: "files.upload",
      method: "POST",
      path: "/upload",
      pathParams: [],
      queryParams: [],
      required: ["file"],
      body: true,
      idempotent: false,
      responseBody: true,
      bodyKind: "multipart",
      fileFields: ["file"],
    };
    await client.call(operation, { purpose: "bench", file: toFile(generate(total, chunk), "big.bin") });
  },
};

/** In a child process: one contender, warmed up, measured. */
async function measure(name, url) {
  const run = CONTENDERS[name];
  await run(url, 4 * 1024 * 1024, UPLOAD_CHUNK); // warm-up: modules, agent, JIT
  const { growth, before, ms } = await peakRssGrowth(() => run(url, UPLOAD_BYTES, UPLOAD_CHUNK));
  return { growth, before, ms };
}

function child(args, execArgv = []) {
  return fork(self, args, { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
}

/**
 * Peak RSS growth of each contender, median of `runs` fresh processes each, run alternately.
 * @returns {{ name: string, growth: number, growths: number[], mbPerSecond: number }[]}
 */
export async function uploadMemory({ runs = 3 } = {}) {
  const server = child(["server"]);
  const port = await new Promise((resolve, reject) => {
    server.once("message", (m) => resolve(m.port));
    server.once("exit", (code) => reject(new Error(`upload server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const results = Object.fromEntries(Object.keys(CONTENDERS).map((n) => [n, []]));
  try {
    for (let round = 0; round < runs; round++) {
      for (const name of Object.keys(CONTENDERS)) {
        const worker = child(["measure", name, url], ["--expose-gc"]);
        const result = await new Promise((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("exit", (code) => reject(new Error(`upload measurement of ${name} exited with ${code}`)));
        });
        if (result.error) throw new Error(`${name}: ${result.error}`);
        results[name].push(result);
        worker.kill();
      }
    }
  } finally {
    server.kill();
  }
  return Object.entries(results).map(([name, rows]) => ({
    name,
    growth: median(rows.map((r) => r.growth)),
    growths: rows.map((r) => r.growth),
    mbPerSecond: median(rows.map((r) => UPLOAD_BYTES / 1024 / 1024 / (r.ms / 1000))),
  }));
}

const [mode, ...rest] = process.argv.slice(2);
if (process.argv[1] === self && mode === "server") {
  // discards every body; answers {"ok":true} once it has all arrived
  const server = createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 11 });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
  process.on("disconnect", () => process.exit(0));
} else if (process.argv[1] === self && mode === "measure") {
  const [name, url] = rest;
  measure(name, url).then(
    (result) => process.send(result, () => process.exit(0)),
    (error) => process.send({ error: String(error?.stack ?? error) }, () => process.exit(1)),
  );
} else if (process.argv[1] === self) {
  // run alone: node bench/lib/upload.mjs [runs]
  const { mb } = await import("./stats.mjs");
  const rows = await uploadMemory({ runs: Number(mode ?? 3) });
  for (const row of rows) {
    console.log(
      `${row.name}: peak RSS growth ${mb(row.growth)} (runs: ${row.growths.map(mb).join(", ")}), ${row.mbPerSecond.toFixed(0)} MB/s`,
    );
  }
}
