// CoreClient.send: a request to an absolute URL (a pre-signed storage URL) under the engine's
// retry, timeout, abort and error rules, without the client's credentials and default headers.
import { Readable } from "node:stream";
import { json, serve } from "@org/testing";
import { expect, test } from "vitest";
import {
  AbortError,
  ApiError,
  InternalServerError,
  InvalidParamsError,
  InvalidResponseError,
  TimeoutError,
  toFile,
} from "../src/index.js";
import { rejection, SECRET, testClient } from "./support.js";

const api = "http://127.0.0.1:1"; // the client's own API: never called by send

test("PUT a Blob: no authorization, no default headers, its content type and bytes; a 2xx body discarded", async () => {
  const server = await serve((_req, res) => json(res, 200, { etag: "x" }));
  const client = testClient(api, { headers: { "X-Client-Default": "1" } });
  const data = await client.send({
    method: "PUT",
    url: `${server.url}/bucket/file?X-Signature=abc`,
    body: new Blob(["hello world"], { type: "text/plain" }),
    responseType: "none",
  });
  expect(data).toBeUndefined();
  const [received] = server.requests;
  expect(received?.method).toBe("PUT");
  expect(received?.url).toBe("/bucket/file?X-Signature=abc");
  expect(received?.headers.authorization).toBeUndefined();
  expect(received?.headers["x-client-default"]).toBeUndefined();
  expect(received?.headers["user-agent"] ?? "").not.toContain("@org/test-client");
  expect(received?.headers["content-type"]).toBe("text/plain");
  expect(received?.headers["content-length"]).toBe("11");
  expect(received?.body).toBe("hello world");
});

test("a content-type header wins over the Blob's; call headers are sent", async () => {
  const server = await serve((_req, res) => res.end());
  await testClient(api).send(
    {
      method: "PUT",
      url: server.url,
      headers: { "Content-Type": "application/pdf" },
      body: new Uint8Array([1, 2, 3]),
      responseType: "none",
    },
    { headers: { "x-call": "yes" } },
  );
  expect(server.requests[0]?.headers["content-type"]).toBe("application/pdf");
  expect(server.requests[0]?.headers["x-call"]).toBe("yes");
});

test("GET: the body as a Blob typed with the response's content-type", async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200, { "content-type": "image/png" });
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]));
  });
  const blob = await testClient(api).send<Blob>({ method: "GET", url: `${server.url}/f` });
  expect(blob).toBeInstanceOf(Blob);
  expect(blob.type).toBe("image/png");
  expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 255]);
  expect(server.requests[0]?.headers.authorization).toBeUndefined();
});

test("responseType json parses the body", async () => {
  const server = await serve((_req, res) => json(res, 200, { ok: true }));
  expect(await testClient(api).send({ method: "POST", url: server.url, responseType: "json" })).toEqual({ ok: true });
});

test("an idempotent request is retried on 503, with the same body", async () => {
  const server = await serve((_req, res, i) =>
    i === 0 ? json(res, 503, { error: "busy" }, { "retry-after-ms": "1" }) : res.end(),
  );
  await testClient(api).send({ method: "PUT", url: server.url, body: new Blob(["abc"]), responseType: "none" });
  expect(server.requests.map((r) => r.body)).toEqual(["abc", "abc"]);
});

test("a POST is not retried unless idempotent: true", async () => {
  const server = await serve((_req, res) => json(res, 503, {}, { "retry-after-ms": "1" }));
  const error = await rejection(testClient(api).send({ method: "POST", url: server.url, body: "x" }));
  expect(error).toBeInstanceOf(InternalServerError);
  expect(server.requests).toHaveLength(1);
  const again = await serve((_req, res) => json(res, 503, {}, { "retry-after-ms": "1" }));
  await rejection(testClient(api, { maxRetries: 2 }).send({ method: "POST", url: again.url, idempotent: true }));
  expect(again.requests).toHaveLength(3);
});

test("a stream body is sent once and not retried: the error says why", async () => {
  const server = await serve((_req, res) => json(res, 503, {}, { "retry-after-ms": "1" }));
  const error = await rejection(
    testClient(api).send({ method: "PUT", url: server.url, body: Readable.from([Buffer.from("streamed")]) }),
  );
  expect(error).toBeInstanceOf(InternalServerError);
  expect(error.message).toContain("not retried: the request body is a stream");
  expect(server.requests.map((r) => r.body)).toEqual(["streamed"]);
  expect(server.requests[0]?.headers["content-type"]).toBe("application/octet-stream");
});

test("a StreamFile keeps its type; a stream already read is refused before sending", async () => {
  const server = await serve((_req, res) => res.end());
  const file = toFile(Readable.from(["a", "b"]), "x.csv", { type: "text/csv" });
  await testClient(api).send({ method: "PUT", url: server.url, body: file, responseType: "none" });
  expect(server.requests[0]?.headers["content-type"]).toBe("text/csv");
  expect(server.requests[0]?.body).toBe("ab");
  const error = await rejection(testClient(api).send({ method: "PUT", url: server.url, body: file }));
  expect(error).toBeInstanceOf(InvalidParamsError);
  expect(server.requests).toHaveLength(1);
});

test("each attempt times out after timeoutMs → TimeoutError", async () => {
  const server = await serve(() => new Promise<void>(() => {}));
  const error = await rejection(
    testClient(api, { timeoutMs: 100, maxRetries: 1 }).send({ method: "GET", url: server.url }),
  );
  expect(error).toBeInstanceOf(TimeoutError);
  expect(server.requests).toHaveLength(2);
});

test("the caller's signal aborts → AbortError", async () => {
  const server = await serve(() => new Promise<void>(() => {}));
  const controller = new AbortController();
  const pending = testClient(api).send({ method: "GET", url: server.url }, { signal: controller.signal });
  await expect.poll(() => server.requests.length).toBe(1);
  controller.abort();
  expect(await rejection(pending)).toBeInstanceOf(AbortError);
});

test("a 401 renews nothing and sends no credentials; errors name origin and path, never the query or a secret", async () => {
  let authCalls = 0;
  const server = await serve((_req, res) => json(res, 401, { message: `bad ${SECRET}` }));
  const client = testClient(
    api,
    {},
    {
      authenticate: () => {
        authCalls++;
        return { Authorization: `Bearer ${SECRET}` };
      },
      refreshOnUnauthorized: true,
    },
  );
  const error = await rejection(
    client.send({ method: "GET", url: `${server.url}/o/file?sig=SIGNATURE_123`, label: "download" }),
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(error.status).toBe(401);
  expect(error.provider).toBe("test");
  expect(authCalls).toBe(0);
  expect(server.requests).toHaveLength(1);
  expect(error.message).toContain(`download GET ${server.url}/o/file`);
  const text = `${error.message} ${JSON.stringify(error)}`;
  expect(text).not.toContain("SIGNATURE_123");
  expect(text).not.toContain(SECRET);
});

test("bad input → InvalidParamsError, nothing sent", async () => {
  const client = testClient(api);
  for (const request of [
    { method: "GET" as const, url: "/relative" },
    { method: "GET" as const, url: "file:///etc/passwd" },
    { method: "TRACE" as "GET", url: "http://127.0.0.1:1/" },
    { method: "GET" as const, url: "http://127.0.0.1:1/", headers: { "x-bad": "a\nb" } },
  ]) {
    expect(await rejection(client.send(request))).toBeInstanceOf(InvalidParamsError);
  }
});

test("a JSON response that is not JSON → InvalidResponseError", async () => {
  const server = await serve((_req, res) => res.end("<xml/>"));
  expect(
    await rejection(testClient(api).send({ method: "GET", url: server.url, responseType: "json" })),
  ).toBeInstanceOf(InvalidResponseError);
});
