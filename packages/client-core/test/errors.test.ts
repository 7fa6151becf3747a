import { json, startServer, type TestServer } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  defineProviderError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../src/index.js";
import { getItem, rejection, testClient } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("typed errors", () => {
  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, ApiError],
  ])("status %i -> %o", async (status, Class) => {
    server = await startServer((_req, res) =>
      json(res, status, { message: "bad" }, { "x-request-id": "req_123", "retry-after-ms": "1" }),
    );
    const error = await rejection(testClient(server.url, { maxRetries: 0 }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.constructor).toBe(Class);
    expect(error.status).toBe(status);
    expect(error.requestId).toBe("req_123");
    expect(error.body).toEqual({ message: "bad" });
    expect(error.headers?.["x-request-id"]).toBe("req_123");
  });

  test("an HTML 502 page gives an InternalServerError with the status and a short excerpt", async () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${"<p>upstream down</p>".repeat(100)}</body></html>`;
    server = await startServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end(page);
    });
    const error = await rejection(testClient(server.url, { maxRetries: 0 }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error.status).toBe(502);
    expect(error.message).toContain("502");
    expect(error.message).toContain("502 Bad Gateway");
    expect(error.message.length).toBeLessThan(300);
    expect(typeof error.body).toBe("string");
    expect((error.body as string).length).toBeLessThanOrEqual(201);
  });

  test("a 200 with a truncated JSON body is an InvalidResponseError, not a SyntaxError", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id": "abc", "na');
    });
    const error = await rejection(testClient(server.url).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.status).toBe(200);
    expect(error.message).toContain('{"id": "abc", "na');
    expect(server.requests).toHaveLength(1);
  });

  test("a 200 with no body where the spec declares one is an InvalidResponseError, never undefined", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": "0" });
      res.end();
    });
    await expect(testClient(server.url).call(getItem, { id: "1" })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  test("a provider's error class matches every error of that provider, whatever its status", async () => {
    const ProviderError = defineProviderError<{ extra: string }>("test", "ProviderError");
    const OtherError = defineProviderError<{ extra: string }>("other", "OtherError");
    server = await startServer((_req, res) => json(res, 429, {}));
    const error = await rejection(
      testClient(server.url, { maxRetries: 0 }, { mapError: () => ({ fields: { extra: "x" } }) }).call(getItem, {
        id: "1",
      }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(OtherError);
    expect(error.extra).toBe("x");
    expect(error.name).toBe("RateLimitError");
    expect(new ProviderError({ message: "m" })).toBeInstanceOf(ApiError);
  });

  test("withResponse() gives the data, the raw Response and the request id", async () => {
    server = await startServer((_req, res) => json(res, 200, { id: "1" }, { "x-request-id": "req_9" }));
    const { data, response, requestId } = await testClient(server.url).call(getItem, { id: "1" }).withResponse();
    expect(data).toEqual({ id: "1" });
    expect(response.status).toBe(200);
    expect(requestId).toBe("req_9");
  });
});

describe("error names survive minification", () => {
  test("every class's name is spelled out, not taken from the (renamable) constructor", async () => {
    const { build } = await import("esbuild");
    const out = await build({
      stdin: {
        contents:
          'import * as core from "./src/index.ts"; const P = core.defineProviderError("x", "XApiError");' +
          "globalThis.__names = [new core.RateLimitError({message:'m'}).name, new core.TimeoutError({message:'m'}).name," +
          " new core.ApiError({message:'m'}).name, new P({message:'m'}).name, String(new core.NotFoundError({message:'m'}))];",
        resolveDir: new URL("..", import.meta.url).pathname,
        loader: "ts",
      },
      bundle: true,
      minify: true,
      format: "iife",
      write: false,
      logLevel: "silent",
    });
    const g = globalThis as { __names?: string[] };
    new Function(out.outputFiles[0]?.text ?? "")();
    expect(g.__names).toEqual(["RateLimitError", "TimeoutError", "ApiError", "XApiError", "NotFoundError: m"]);
  });
});

describe("the returned promise", () => {
  test("is a native Promise with withResponse(); a failure handled there is not also unhandled", async () => {
    server = await startServer((_req, res) => json(res, 404, { error: "gone" }));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const promise = testClient(server.url).call(getItem, { id: "1" });
      expect(promise.constructor).toBe(Promise);
      await expect(promise.withResponse()).rejects.toBeInstanceOf(NotFoundError);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
