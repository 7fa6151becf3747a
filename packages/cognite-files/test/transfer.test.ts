// files.upload and files.download: the CDF calls carry the token; the bytes go to another host
// (a pre-signed URL) without it, under the runtime's retry, timeout and abort rules.
import { createServer, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { json, type ReceivedRequest } from "@org/testing";
import { afterEach, expect, test } from "vitest";
import {
  AbortError,
  BadRequestError,
  CogniteApiError,
  createCogniteClient,
  InternalServerError,
  TimeoutError,
  toFile,
} from "../src/index.js";
import { delay, PROJECT, serve, TOKEN } from "./support.js";

/** A storage host that keeps the raw bytes of every request (the shared test server decodes them as text). */
interface Storage {
  url: string;
  requests: (Omit<ReceivedRequest, "body" | "at"> & { bytes: Buffer })[];
  maxInFlight: () => number;
  inFlight: () => number;
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
async function storage(
  handler: (req: IncomingMessage, bytes: Buffer, index: number) => Promise<number> | number = () => 200,
): Promise<Storage> {
  const requests: Storage["requests"] = [];
  let inFlight = 0;
  let max = 0;
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer(async (req, res) => {
    inFlight++;
    max = Math.max(max, inFlight);
    res.on("close", () => inFlight--);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return;
    }
    const bytes = Buffer.concat(chunks);
    const index = requests.length;
    requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bytes });
    const status = await handler(req, bytes, index);
    if (status < 0) return; // never answers
    res.writeHead(status, status === 503 ? { "retry-after-ms": "1" } : {});
    res.end();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, requests, maxInFlight: () => max, inFlight: () => inFlight };
}

const cognite = (baseUrl: string, extra: { maxConcurrency?: number; maxRetries?: number } = {}) =>
  createCogniteClient({ project: PROJECT, baseUrl, token: TOKEN, ...extra });

/** Bytes 0..255 repeated: any shift, loss or re-encoding shows. */
const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) % 256);

const created = (id: number, extra: object = {}) => ({
  id,
  name: "report.bin",
  uploaded: false,
  createdTime: 1,
  lastUpdatedTime: 1,
  ...extra,
});

/** A fake CDF answering create / initmultipartupload / completemultipartupload with the storage's URLs. */
async function cdf(store: Storage, { wrapInit = true, complete = 200 } = {}) {
  return serve((req, res) => {
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (req.url?.startsWith("/files/initmultipartupload")) {
      const parts = Number(new URL(req.url, "http://x").searchParams.get("parts"));
      const file = created(42, {
        ...body,
        uploadId: "up-1",
        uploadUrls: Array.from({ length: parts }, (_, i) => `${store.url}/part/${i}?sig=S${i}`),
      });
      return json(res, 201, wrapInit ? { items: [file] } : file);
    }
    if (req.url === "/files/completemultipartupload")
      return json(res, complete, complete === 200 ? {} : { error: { code: complete, message: "no" } });
    if (req.url?.startsWith("/files"))
      return json(res, 201, created(7, { ...body, uploadUrl: `${store.url}/put/7?sig=SECRETSIG` }));
    json(res, 404, {});
  });
}

test("small upload: create with the token, then PUT the bytes without it, with the content type", async () => {
  const store = await storage();
  const api = await cdf(store);
  const content = bytesOf(1000);
  const file = await cognite(api.url).files.upload({ name: "report.bin", mimeType: "application/x-report" }, content);
  expect(file).toMatchObject({ id: 7, name: "report.bin", mimeType: "application/x-report" });
  expect(file).not.toHaveProperty("uploadUrl");
  expect(api.requests.map((r) => [r.method, r.url])).toEqual([["POST", "/files"]]);
  expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(store.requests).toHaveLength(1);
  const put = store.requests[0];
  expect([put?.method, put?.url]).toEqual(["PUT", "/put/7?sig=SECRETSIG"]);
  expect(put?.headers.authorization).toBeUndefined();
  expect(put?.headers["content-type"]).toBe("application/x-report");
  expect(Buffer.compare(put?.bytes ?? Buffer.alloc(0), Buffer.from(content))).toBe(0);
});

test("a Blob's type becomes the file's mimeType and the PUT's content type; a 503 on the PUT is retried", async () => {
  const store = await storage((_req, _bytes, i) => (i === 0 ? 503 : 200));
  const api = await cdf(store);
  await cognite(api.url).files.upload({ name: "a.png" }, new Blob([bytesOf(300)], { type: "image/png" }));
  expect(JSON.parse(api.requests[0]?.body ?? "{}")).toEqual({ name: "a.png", mimeType: "image/png" });
  expect(store.requests.map((r) => [r.headers["content-type"], r.bytes.length])).toEqual([
    ["image/png", 300],
    ["image/png", 300],
  ]);
});

test("a stream is one PUT (below any threshold), streamed, not retried once sent; the error says what was created", async () => {
  const store = await storage(() => 503);
  const api = await cdf(store);
  const error = (await cognite(api.url)
    .files.upload({ name: "s.txt" }, toFile(Readable.from(["ab", "cd"]), "s.txt", { type: "text/plain" }), {
      multipartThreshold: 1,
    })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(InternalServerError);
  expect(store.requests.map((r) => r.bytes.toString())).toEqual(["abcd"]);
  expect(error.upload).toMatchObject({ file: { id: 7 }, parts: 1, partsSent: [], partsNotSent: [0] });
  expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("SECRETSIG");
  expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
});

test("large upload: init with parts, each part PUT once without the token, concurrency bounded, complete once", async () => {
  const store = await storage(async () => {
    await delay(30);
    return 200;
  });
  const api = await cdf(store);
  const content = bytesOf(10_000);
  const file = await cognite(api.url, { maxConcurrency: 3 }).files.upload(
    { name: "big.bin", Origin: "https://app" },
    new Blob([content]),
    { multipartThreshold: 4096, partSize: 1000 },
  );
  expect(file).toMatchObject({ id: 42, name: "big.bin" });
  expect(file).not.toHaveProperty("uploadUrls");
  expect(api.requests.map((r) => [r.method, r.url])).toEqual([
    ["POST", "/files/initmultipartupload?parts=10"],
    ["POST", "/files/completemultipartupload"],
  ]);
  expect(JSON.parse(api.requests[0]?.body ?? "{}")).toEqual({ name: "big.bin" }); // Origin is not a body field
  expect(JSON.parse(api.requests[1]?.body ?? "{}")).toEqual({ id: 42, uploadId: "up-1" });
  expect(store.requests).toHaveLength(10);
  expect(store.maxInFlight()).toBe(3);
  const byPart = [...store.requests].sort((a, b) => a.url.localeCompare(b.url, "en", { numeric: true }));
  expect(byPart.map((r) => r.url)).toEqual(Array.from({ length: 10 }, (_, i) => `/part/${i}?sig=S${i}`));
  for (const r of byPart) expect(r.headers.authorization).toBeUndefined();
  expect(Buffer.compare(Buffer.concat(byPart.map((r) => r.bytes)), Buffer.from(content))).toBe(0);
});

test("the part count stays within the spec's 250: partSize grows", async () => {
  const store = await storage();
  const api = await cdf(store);
  await cognite(api.url, { maxConcurrency: 8 }).files.upload({ name: "b" }, bytesOf(1000), {
    multipartThreshold: 10,
    partSize: 1,
  });
  expect(api.requests[0]?.url).toBe("/files/initmultipartupload?parts=250");
  expect(store.requests.map((r) => r.bytes.length).reduce((a, b) => a + b)).toBe(1000);
});

test("the init response as a single object (not {items}) is accepted too", async () => {
  const store = await storage();
  const api = await cdf(store, { wrapInit: false });
  const file = await cognite(api.url).files.upload({ name: "b" }, bytesOf(50), {
    multipartThreshold: 10,
    partSize: 20,
  });
  expect(file.id).toBe(42);
  expect(store.requests).toHaveLength(3);
});

test("a part failing once with 503 is retried alone", async () => {
  let failedOnce = false;
  const store = await storage((req) => {
    if (req.url?.startsWith("/part/2") && !failedOnce) {
      failedOnce = true;
      return 503;
    }
    return 200;
  });
  const api = await cdf(store);
  await cognite(api.url).files.upload({ name: "b" }, bytesOf(5000), { multipartThreshold: 10, partSize: 1000 });
  const urls = store.requests.map((r) => r.url.split("?")[0]);
  expect(urls.filter((u) => u === "/part/2")).toHaveLength(2);
  for (const i of [0, 1, 3, 4]) expect(urls.filter((u) => u === `/part/${i}`)).toHaveLength(1);
  expect(api.requests.filter((r) => r.url === "/files/completemultipartupload")).toHaveLength(1);
});

test("a part failing for good aborts the others, reports the parts sent, and complete is never called", async () => {
  const store = await storage(async (req) => {
    if (req.url?.startsWith("/part/0")) return 200;
    if (req.url?.startsWith("/part/1")) {
      await delay(30); // parts 2 and 3 are in flight by now
      return 400;
    }
    return -1; // never answers: aborted when part 1 fails
  });
  const api = await cdf(store);
  const started = Date.now();
  const error = (await cognite(api.url, { maxConcurrency: 3 })
    .files.upload({ name: "b" }, bytesOf(6000), { multipartThreshold: 10, partSize: 1000 })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(BadRequestError);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(error.message).toContain("files.upload part 2/6");
  expect(error.upload).toEqual({
    file: expect.objectContaining({ id: 42 }),
    uploadId: "up-1",
    parts: 6,
    partsSent: [0],
    partsNotSent: [1, 2, 3, 4, 5],
    completeFailed: false,
  });
  expect(api.requests.some((r) => r.url === "/files/completemultipartupload")).toBe(false);
  // parts 0, 1, 2 went out, then 3 when part 0 was done; 4 and 5 never did
  expect(store.requests.map((r) => r.url.split("?")[0]).sort()).toEqual(["/part/0", "/part/1", "/part/2", "/part/3"]);
  await expect.poll(() => store.inFlight(), { timeout: 2_000 }).toBe(0); // parts 2 and 3 aborted
});

test("a failing complete is reported with every part sent", async () => {
  const store = await storage();
  const api = await cdf(store, { complete: 400 });
  const error = (await cognite(api.url)
    .files.upload({ name: "b" }, bytesOf(30), { multipartThreshold: 10, partSize: 10 })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(BadRequestError);
  expect(error.upload).toMatchObject({ partsSent: [0, 1, 2], partsNotSent: [], completeFailed: true });
});

test("the caller's signal aborts an upload mid-way: AbortError, no further part, no complete", async () => {
  const controller = new AbortController();
  const store = await storage(async (req) => {
    if (req.url?.startsWith("/part/1")) {
      controller.abort();
      return -1;
    }
    return 200;
  });
  const api = await cdf(store);
  const error = (await cognite(api.url, { maxConcurrency: 1 })
    .files.upload({ name: "b" }, bytesOf(5000), { multipartThreshold: 10, partSize: 1000, signal: controller.signal })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(AbortError);
  expect(error.upload).toMatchObject({ partsSent: [0], partsNotSent: [1, 2, 3, 4] });
  await delay(50);
  expect(store.requests.map((r) => r.url.split("?")[0])).toEqual(["/part/0", "/part/1"]);
  expect(api.requests.some((r) => r.url === "/files/completemultipartupload")).toBe(false);
});

test("bad upload options → InvalidParamsError before anything is sent", async () => {
  const api = await serve((_req, res) => json(res, 500, {}));
  const files = cognite(api.url).files;
  await expect(files.upload({ name: "b" }, bytesOf(1), { partSize: 0 })).rejects.toThrow(/partSize/);
  await expect(files.upload({ name: "b" }, "text" as unknown as Blob)).rejects.toThrow(/content must be/);
  expect(api.requests).toHaveLength(0);
});

test("download: downloadLink with the token, then GET the link without it, bytes intact, 503 retried", async () => {
  const content = Buffer.from(bytesOf(4096));
  const store = await storage();
  const host = createServer((req, res) => {
    store.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, bytes: Buffer.alloc(0) });
    if (store.requests.length === 1) {
      res.writeHead(503, { "retry-after-ms": "1" });
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/pdf", "content-length": content.length });
    res.end(content);
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => host.close(() => resolve())));
  const hostUrl = `http://127.0.0.1:${(host.address() as import("node:net").AddressInfo).port}`;
  const api = await serve((_req, res) =>
    json(res, 200, { items: [{ id: 5, downloadUrl: `${hostUrl}/dl/5?token=SIGNED` }] }),
  );
  const body = await cognite(api.url).files.download({ id: 5 }, { extendedExpiration: true });
  expect(api.requests.map((r) => [r.url, JSON.parse(r.body)])).toEqual([
    ["/files/downloadlink?extendedExpiration=true", { items: [{ id: 5 }] }],
  ]);
  expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(store.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
    ["GET", "/dl/5?token=SIGNED", undefined],
    ["GET", "/dl/5?token=SIGNED", undefined],
  ]);
  expect(body).toBeInstanceOf(ReadableStream);
  expect(Buffer.compare(Buffer.from(await new Response(body).arrayBuffer()), content)).toBe(0);
});

test("download: the stream is handed over at the headers; a stall mid-body is a CogniteApiError TimeoutError", async () => {
  const host = await serve((_req, res) => {
    res.writeHead(200, { "content-length": "1000" });
    res.write(Buffer.alloc(100)); // and nothing more
  });
  const hostUrl = host.url;
  const api = await serve((_req, res) =>
    json(res, 200, { items: [{ id: 5, downloadUrl: `${hostUrl}/dl/5?sig=SIGNED` }] }),
  );
  const body = await cognite(api.url).files.download({ id: 5 }, { timeoutMs: 300 });
  const reader = body.getReader();
  expect((await reader.read()).value?.byteLength).toBe(100);
  const error = await reader.read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TimeoutError);
  expect(error).toBeInstanceOf(CogniteApiError);
  expect(String((error as Error).message)).toMatch(
    /^cognite files\.download GET http:\/\/127\.0\.0\.1:\d+\/dl\/5: no data for 300 ms/,
  );
  expect(JSON.stringify(error)).not.toContain("SIGNED");
});

test("download: an invalid ref → InvalidParamsError, nothing sent; a link-less answer → InvalidResponseError", async () => {
  const api = await serve((_req, res) => json(res, 200, { items: [{ id: 5 }] }));
  await expect(cognite(api.url).files.download({ id: 0 })).rejects.toThrow(/id must be/);
  expect(api.requests).toHaveLength(0);
  await expect(cognite(api.url).files.download({ id: 5 })).rejects.toThrow(/no downloadUrl/);
});
