// Multipart uploads, streamed request bodies, header params and binary responses, end to end
// against a real loopback server that parses what it receives with the platform's multipart
// parser; run once per transport (the vitest projects `fetch` and `node`).
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, test } from "vitest";
import { json, listenOnLoopback } from "../../testing/src/http-server.js";
import {
  AbortError,
  InternalServerError,
  InvalidParamsError,
  type OperationMeta,
  StreamFile,
  TimeoutError,
  toFile,
} from "../src/index.js";
import { rejection, testClient } from "./support.js";

const upload: OperationMeta = {
  id: "files.upload",
  method: "POST",
  path: "/files",
  pathParams: [],
  queryParams: [],
  required: ["file"],
  body: true,
  idempotent: true,
  responseBody: true,
  headerParams: ["Idempotency-Key"],
  bodyKind: "multipart",
  fileFields: ["file", "extra"],
};

const download: OperationMeta = {
  id: "files.content",
  method: "GET",
  path: "/files/{id}/content",
  pathParams: ["id"],
  queryParams: [],
  required: ["id"],
  body: false,
  idempotent: true,
  responseBody: false,
  binaryResponse: true,
};

const createJson: OperationMeta = {
  id: "items.create",
  method: "POST",
  path: "/items",
  pathParams: [],
  queryParams: [],
  required: [],
  body: true,
  idempotent: false,
  responseBody: true,
  headerParams: ["X-Trace", "X-Count"],
};

interface Received {
  method: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}
type Answer = (req: Received, res: ServerResponse, index: number) => unknown;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A server that keeps each request's raw bytes; `answer` replies (default: 200 `{ ok: true }`). */
async function server(answer: Answer = (_req, res) => json(res, 200, { ok: true })) {
  const received: Received[] = [];
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client stopped uploading
    }
    const got = { method: req.method ?? "", headers: req.headers, body: Buffer.concat(chunks) };
    received.push(got);
    await answer(got, res, received.length - 1);
  });
  const listening = await listenOnLoopback(http);
  close = listening.close;
  return { url: listening.url, received };
}

/** The multipart body a server received, parsed by the platform. */
async function formOf(req: Received): Promise<FormData> {
  return new Response(new Uint8Array(req.body), {
    headers: { "content-type": String(req.headers["content-type"]) },
  }).formData();
}

async function fileOf(form: FormData, name: string) {
  const file = form.get(name);
  expect(file).toBeInstanceOf(File);
  const f = file as File;
  return { name: f.name, type: f.type, bytes: digest(Buffer.from(await f.arrayBuffer())) };
}

/** A short stand-in for bytes (deep-equality of 200 KB buffers is slow): length and SHA-256. */
function digest(bytes: Uint8Array): string {
  return `${bytes.length}:${createHash("sha256").update(bytes).digest("hex")}`;
}

const BYTES = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256));

/** `bytes` as a web stream of 16 KiB chunks, pulled on demand; `state` tells whether it was cancelled. */
function webStream(bytes: Uint8Array, state: { cancelled?: boolean; pulled?: number } = {}) {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled = (state.pulled ?? 0) + 1;
      if (offset >= bytes.length) controller.close();
      else {
        controller.enqueue(bytes.slice(offset, offset + 16_384));
        offset += 16_384;
      }
    },
    cancel() {
      state.cancelled = true;
    },
  });
}

/** A Node Readable that yields one chunk, then never ends (or fails, with `error`). */
function stalledReadable(error?: Error) {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.from("first chunk"));
      } else if (error) this.destroy(error);
    },
  });
}

describe("multipart uploads", () => {
  test("a Blob, a File, bytes and text fields: one multipart request, parsed back by the platform", async () => {
    const { url, received } = await server();
    const client = testClient(url);
    const result = await client.call(upload, {
      file: new File([BYTES], "data.bin", { type: "application/x-data" }),
      extra: new Uint8Array([1, 2, 3]),
      purpose: "assistants",
      size: 42,
      public: true,
      tags: ["a", "b"],
      meta: { k: "v" },
      "Idempotency-Key": "key-1",
    });
    expect(result).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    const req = received[0] as Received;
    expect(req.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    // a Blob body has a known length
    expect(req.headers["content-length"]).toBe(String(req.body.length));
    expect(req.headers["idempotency-key"]).toBe("key-1");
    const form = await formOf(req);
    expect(await fileOf(form, "file")).toEqual({ name: "data.bin", type: "application/x-data", bytes: digest(BYTES) });
    expect(await fileOf(form, "extra")).toEqual({
      name: "blob",
      type: "application/octet-stream",
      bytes: digest(Buffer.from([1, 2, 3])),
    });
    expect(form.get("purpose")).toBe("assistants");
    expect(form.get("size")).toBe("42");
    expect(form.get("public")).toBe("true");
    expect(form.getAll("tags")).toEqual(["a", "b"]);
    expect(form.get("meta")).toBe('{"k":"v"}');
    // a header param is a header, never a part
    expect(form.has("Idempotency-Key")).toBe(false);
  });

  test("toFile of a web ReadableStream is streamed (chunked), not buffered, and arrives whole", async () => {
    const { url, received } = await server();
    const client = testClient(url);
    const state: { pulled?: number } = {};
    const file = toFile(webStream(BYTES, state), "stream.bin", { type: "application/octet-stream" });
    expect(file).toBeInstanceOf(StreamFile);
    expect(state.pulled ?? 0).toBeLessThanOrEqual(1); // nothing read before the call (the start pull at most)
    await client.call(upload, { file, purpose: "p" });
    const req = received[0] as Received;
    expect(req.headers["content-length"]).toBeUndefined();
    expect(req.headers["transfer-encoding"]).toBe("chunked");
    const form = await formOf(req);
    expect(await fileOf(form, "file")).toEqual({
      name: "stream.bin",
      type: "application/octet-stream",
      bytes: digest(BYTES),
    });
    expect(form.get("purpose")).toBe("p");
  });

  test("a Node Readable (fs.createReadStream) takes its file name from its path; toFile renames it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "uploads-"));
    const path = join(dir, "report.pdf");
    writeFileSync(path, BYTES);
    const { url, received } = await server();
    const client = testClient(url);
    await client.call(upload, { file: createReadStream(path) });
    await client.call(upload, { file: toFile(createReadStream(path), "renamed.pdf", { type: "application/pdf" }) });
    await client.call(upload, { file: toFile(Readable.from(["text ", "chunks"]), "t.txt") });
    expect(await fileOf(await formOf(received[0] as Received), "file")).toEqual({
      name: "report.pdf",
      type: "application/octet-stream",
      bytes: digest(BYTES),
    });
    expect(await fileOf(await formOf(received[1] as Received), "file")).toEqual({
      name: "renamed.pdf",
      type: "application/pdf",
      bytes: digest(BYTES),
    });
    expect(await fileOf(await formOf(received[2] as Received), "file")).toMatchObject({
      name: "t.txt",
      bytes: digest(Buffer.from("text chunks")),
    });
  });

  test("toFile: strings, bytes, Blobs and a Response", async () => {
    const text = toFile("héllo", "h.txt");
    expect(text).toBeInstanceOf(File);
    expect(await (text as File).text()).toBe("héllo");
    expect((text as File).type).toBe("text/plain;charset=utf-8");
    const bytes = toFile(new Uint16Array([1, 2]), "b.bin", { type: "Application/X-Y" }) as File;
    expect([bytes.name, bytes.type, bytes.size]).toEqual(["b.bin", "application/x-y", 4]);
    const file = new File(["x"], "same.txt");
    expect(toFile(file)).toBe(file);
    expect((toFile(new Blob(["x"])) as File).name).toBe("blob");
    const response = toFile(new Response("body", { headers: { "content-type": "text/csv" } }), "r.csv");
    expect(response).toBeInstanceOf(StreamFile);
    expect([(response as StreamFile).name, (response as StreamFile).type]).toEqual(["r.csv", "text/csv"]);
    expect(() => toFile(42 as never)).toThrow(TypeError);
  });
});

describe("retries", () => {
  const flaky: Answer = (_req, res, index) => {
    if (index === 0) json(res, 503, { error: "busy" });
    else json(res, 200, { ok: true });
  };

  test("a Blob body is sent again on a retry, byte for byte", async () => {
    const { url, received } = await server(flaky);
    const client = testClient(url, { maxRetries: 1 });
    await expect(client.call(upload, { file: new Blob([BYTES]), purpose: "p" })).resolves.toEqual({ ok: true });
    expect(received).toHaveLength(2);
    expect((received[1] as Received).body.equals((received[0] as Received).body)).toBe(true);
    expect(await fileOf(await formOf(received[1] as Received), "file")).toMatchObject({ bytes: digest(BYTES) });
  });

  test("a streamed body is not retried once sent, and the error says why", async () => {
    const { url, received } = await server(flaky);
    const client = testClient(url, { maxRetries: 2 });
    const error = await rejection(client.call(upload, { file: toFile(webStream(BYTES), "s.bin") }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/not retried: the request body is a stream that was already sent/);
    expect(received).toHaveLength(1);
  });

  test("a stream that was already read is refused before sending", async () => {
    const { url, received } = await server();
    const client = testClient(url);
    const file = toFile(webStream(BYTES), "s.bin");
    await client.call(upload, { file });
    const error = await rejection(client.call(upload, { file }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toContain(
      'test files.upload POST /files: multipart field "file" holds a stream that was already read',
    );
    expect(received).toHaveLength(1);
  });
});

describe("bad input, refused before anything is sent", () => {
  test.each([
    ["a string", "/path/to/file.txt"],
    ["a number", 42],
    ["a plain object", { name: "x" }],
    ["an array with null", [new Blob(["x"]), null]],
  ])("a file field holding %s is an InvalidParamsError naming the operation and the field", async (_what, value) => {
    const { url, received } = await server();
    const client = testClient(url);
    const error = await rejection(client.call(upload, { file: value }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toMatch(/^test files\.upload POST \/files: multipart field "file" /);
    expect(received).toHaveLength(0);
  });

  test("bytes in a text field, an unencodable object, a header param with a line break", async () => {
    const { url, received } = await server();
    const client = testClient(url);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const params of [
      { file: new Blob(["x"]), purpose: new Uint8Array([1]) },
      { file: new Blob(["x"]), purpose: cyclic },
      { file: new Blob(["x"]), "Idempotency-Key": "a\r\nInjected: yes" },
      { file: new Blob(["x"]), "Idempotency-Key": { not: "a header" } },
    ]) {
      const error = await rejection(client.call(upload, params));
      expect(error).toBeInstanceOf(InvalidParamsError);
      expect(error.message).toMatch(/^test files\.upload POST \/files: /);
      expect(error.message).not.toContain("Injected");
    }
    expect(received).toHaveLength(0);
  });
});

describe("header params", () => {
  test("go to the request headers, never in the JSON body", async () => {
    const { url, received } = await server();
    const client = testClient(url);
    await client.call(createJson, { name: "n", "X-Trace": "t-1", "X-Count": 3 });
    const req = received[0] as Received;
    expect(req.headers["x-trace"]).toBe("t-1");
    expect(req.headers["x-count"]).toBe("3");
    expect(JSON.parse(req.body.toString())).toEqual({ name: "n" });
    expect(req.headers["content-type"]).toBe("application/json");
  });

  test("call headers override them; credentials stay the provider's", async () => {
    const { url, received } = await server();
    const client = testClient(url);
    await client.call(createJson, { "X-Trace": "param" }, { headers: { "x-trace": "call" } });
    expect((received[0] as Received).headers["x-trace"]).toBe("call");
  });
});

describe("stopping an upload", () => {
  test("the deadline stops a stalled stream upload and releases the stream", async () => {
    const { url } = await server();
    const client = testClient(url, { timeoutMs: 300, maxRetries: 0 });
    const stream = stalledReadable();
    const error = await rejection(client.call(upload, { file: toFile(stream, "slow.bin") }));
    expect(error).toBeInstanceOf(TimeoutError);
    await expect.poll(() => stream.destroyed).toBe(true);
  });

  test("the caller's abort stops it and cancels a web stream", async () => {
    const { url } = await server();
    const client = testClient(url, { maxRetries: 0 });
    const state: { cancelled?: boolean } = {};
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) controller.enqueue(new Uint8Array(10));
        sent = true; // then never again: the upload stalls
        return new Promise(() => {});
      },
      cancel() {
        state.cancelled = true;
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await rejection(client.call(upload, { file: toFile(stream, "s") }, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    await expect.poll(() => state.cancelled).toBe(true);
  });

  test("a stream that fails is an InvalidParamsError, not retried", async () => {
    const { url, received } = await server();
    const client = testClient(url, { maxRetries: 2 });
    const error = await rejection(
      client.call(upload, { file: toFile(stalledReadable(new Error("disk on fire")), "f") }),
    );
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toContain("the request body could not be read");
    expect(error.message).toContain("disk on fire");
    expect(received).toHaveLength(0); // the server never got a whole request
  });

  test("a server that answers before reading the upload: its response decides", async () => {
    const http = createServer((_req, res) => json(res, 413, { error: "too large" }, { connection: "close" }));
    const listening = await listenOnLoopback(http);
    close = listening.close;
    const client = testClient(listening.url, { maxRetries: 0 });
    const stream = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024)); // endless
      },
    });
    const error = await rejection(client.call(upload, { file: toFile(stream, "big") }));
    // 413, or (when the server's close wins the race) a connection error; never a hang
    expect([413, undefined]).toContain(error.status);
    await expect.poll(() => stream.destroyed).toBe(true);
  });
});

describe("binary responses", () => {
  test("resolve to a Blob with the bytes and the type; withResponse() still works", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 254]);
    const accepts: (string | undefined)[] = [];
    const { url } = await server((req, res) => {
      accepts.push(req.headers.accept);
      res.writeHead(200, { "content-type": "image/png", "content-length": png.length, "x-request-id": "req_1" });
      res.end(png);
    });
    const client = testClient(url);
    const blob = await client.call<Blob>(download, { id: "f1" });
    // the client-wide JSON Accept would make a negotiating server refuse the image
    expect(accepts).toEqual(["*/*"]);
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.type).toBe("image/png");
    expect(Buffer.from(await blob.arrayBuffer()).equals(png)).toBe(true);
    const { data, response, requestId } = await client.call<Blob>(download, { id: "f1" }).withResponse();
    expect(Buffer.from(await data.arrayBuffer()).equals(png)).toBe(true);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(requestId).toBe("req_1");
  });

  test("a JSON or text body of a binary operation is a Blob too; a 204 is undefined", async () => {
    const { url } = await server((_req, res, index) => {
      if (index === 0) json(res, 200, { not: "parsed" });
      else {
        res.writeHead(204);
        res.end();
      }
    });
    const client = testClient(url);
    const blob = await client.call<Blob>(download, { id: "f1" });
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.type).toBe("application/json");
    expect(await blob.text()).toBe('{"not":"parsed"}');
    expect(await client.call(download, { id: "f1" })).toBeUndefined();
  });

  test("an error status of a binary operation is still a typed error", async () => {
    const { url } = await server((_req, res) => json(res, 404, { message: "no such file" }));
    const error = await rejection(testClient(url).call(download, { id: "f1" }));
    expect(error.status).toBe(404);
  });
});
