// CoreClient.send with responseType "stream": the body handed over at the headers and read as the
// caller reads it (backpressure to the socket), under the call's idle timeout, signal and typed
// errors; on a real loopback server, on each transport (the test project decides which).
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { serve } from "@org/testing";
import { expect, test } from "vitest";
import {
  AbortError,
  type ApiError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  TimeoutError,
} from "../src/index.js";
import { rejection, testClient } from "./support.js";

const api = "http://127.0.0.1:1"; // the client's own API: never called by send
/** A loopback server whose handler writes each response by hand (closed, sockets destroyed, after the test). */
async function rawServer(handler: (res: ServerResponse, index: number) => void): Promise<string> {
  return (await serve((_req, res, index) => handler(res, index))).url;
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

const stream = (url: string, timeoutMs = 5000, signal?: AbortSignal) =>
  testClient(api).send<ReadableStream<Uint8Array>>(
    { method: "GET", url, responseType: "stream", label: "download" },
    { timeoutMs, signal },
  );

test("a 2xx body is a ReadableStream of its bytes; a 503 before it is retried", async () => {
  const content = Buffer.alloc(300_000, 7);
  const url = await rawServer((res, i) => {
    if (i === 0) {
      res.writeHead(503, { "retry-after-ms": "1" });
      res.end("busy");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    res.end(content);
  });
  const body = await stream(`${url}/f`);
  expect(body).toBeInstanceOf(ReadableStream);
  expect(Buffer.compare(await bytesOf(body), content)).toBe(0);
});

test("resolves at the headers and reads only as fast as the caller: a 64 MiB body is not buffered", async () => {
  const total = 64 * 1024 * 1024;
  const chunk = Buffer.alloc(256 * 1024, 1);
  let written = 0;
  const url = await rawServer((res) => {
    res.writeHead(200, { "content-length": String(total) });
    const pump = () => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  const body = await stream(url);
  const reader = body.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the server writes what the socket takes
  // kernel buffers, Node's and the stream's 64 KiB hold a few MB at most: never the whole body
  expect(written).toBeLessThan(24 * 1024 * 1024);
  let read = first.value?.byteLength ?? 0;
  for (;;) {
    const step = await reader.read();
    if (step.done) break;
    read += step.value.byteLength;
  }
  expect(read).toBe(total);
});

test("a content-coded body is decoded as it arrives", async () => {
  const content = Buffer.from("x".repeat(100_000));
  const url = await rawServer((res) => {
    res.writeHead(200, { "content-encoding": "gzip" });
    res.end(gzipSync(content));
  });
  expect((await bytesOf(await stream(url))).toString()).toBe(content.toString());
});

test("a corrupt coding errors the stream with an InvalidResponseError", async () => {
  const url = await rawServer((res) => {
    res.writeHead(200, { "content-encoding": "gzip" });
    res.end(Buffer.concat([gzipSync(Buffer.alloc(1000)).subarray(0, 10), Buffer.alloc(100, 9)]));
  });
  const error = await rejection(bytesOf(await stream(url)));
  expect(error).toBeInstanceOf(InvalidResponseError);
});

test("a server that stalls mid-body → the stream errors with a TimeoutError after timeoutMs", async () => {
  const url = await rawServer((res) => {
    res.writeHead(200, { "content-length": "1000" });
    res.write(Buffer.alloc(100)); // and nothing more
  });
  const body = await stream(`${url}/slow?sig=SECRETQUERY`, 300);
  const started = Date.now();
  const error = await rejection(bytesOf(body));
  expect(error).toBeInstanceOf(TimeoutError);
  expect((error as ApiError).message).toMatch(/no data for 300 ms while reading the response body/);
  expect((error as ApiError).message).toMatch(/^test download GET http:\/\/127\.0\.0\.1:\d+\/slow: /);
  expect(JSON.stringify(error)).not.toContain("SECRETQUERY");
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
});

test("the call's signal aborts the stream after it was handed over → AbortError", async () => {
  const url = await rawServer((res) => {
    res.writeHead(200);
    res.write(Buffer.alloc(100));
  });
  const controller = new AbortController();
  const body = await stream(url, 5000, controller.signal);
  const reader = body.getReader();
  await reader.read();
  controller.abort();
  const error = await rejection(reader.read());
  expect(error).toBeInstanceOf(AbortError);
});

test("a connection cut mid-body → the stream errors with a ConnectionError", async () => {
  const url = await rawServer((res) => {
    res.writeHead(200, { "content-length": "1000" });
    res.write(Buffer.alloc(100), () => res.socket?.destroy());
  });
  const error = await rejection(bytesOf(await stream(url)));
  expect(error).toBeInstanceOf(ConnectionError);
  expect(error).not.toBeInstanceOf(TimeoutError);
});

test("cancel() releases the connection: the next request gets an answer", async () => {
  const url = await rawServer((res) => {
    res.writeHead(200);
    res.write(Buffer.alloc(100)); // never ends
  });
  const body = await stream(url);
  await body.cancel();
  const again = await stream(url);
  const reader = again.getReader();
  expect((await reader.read()).done).toBe(false);
  await reader.cancel();
});

test("an error status is read in full and is the typed error, never a stream", async () => {
  const server = await serve((_req, res) => {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("boom");
  });
  const error = await rejection(stream(server.url, 5000));
  expect(error).toBeInstanceOf(InternalServerError);
  expect((error as ApiError).message).toContain("boom");
});

test("a 204 gives an empty stream", async () => {
  const url = await rawServer((res) => {
    res.writeHead(204);
    res.end();
  });
  expect((await bytesOf(await stream(url))).length).toBe(0);
});
