import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  createWooshpayClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  WooshpayApiError,
} from "../src/index.js";
import { FILE, serve, stripeError, TEST_KEY } from "./support.js";

const wooshpay = (baseUrl: string, maxRetries = 0) => createWooshpayClient({ apiKey: TEST_KEY, baseUrl, maxRetries });

describe("WooshpayApiError maps {error: {type, code, message, param}}", () => {
  test("404 resource_missing: type, code, message, param and Request-Id", async () => {
    const server = await serve((_req, res) =>
      json(res, 404, stripeError("invalid_request_error", "resource_missing", "No such file: 'file_x'", "id"), {
        "Request-Id": "req_404abc",
      }),
    );
    const error = await wooshpay(server.url)
      .files.retrieve({ id: "file_x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      type: "invalid_request_error",
      code: "resource_missing",
      param: "id",
      requestId: "req_404abc",
      provider: "wooshpay",
    });
    expect((error as Error).message).toContain("No such file: 'file_x'");
  });

  test.each([
    [400, BadRequestError, "invalid_request_error", "parameter_invalid"],
    [401, AuthenticationError, "invalid_request_error", "api_key_invalid"],
    [403, PermissionDeniedError, "invalid_request_error", "permission_denied"],
    [429, RateLimitError, "invalid_request_error", "rate_limit"],
    [409, ConflictError, "idempotency_error", "idempotency_key_in_use"],
    [500, InternalServerError, "api_error", null],
  ])("HTTP %i is both a WooshpayApiError and its status class", async (status, Class, type, code) => {
    const server = await serve((_req, res) =>
      json(res, status, stripeError(type, code, `failed with ${status}`), { "request-id": `req_${status}` }),
    );
    const error = await wooshpay(server.url)
      .files.retrieve({ id: "file_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ status, type, code: code ?? undefined, param: null, requestId: `req_${status}` });
  });

  test("an error type outside the documented ones is passed through as sent", async () => {
    const server = await serve((_req, res) =>
      json(res, 429, stripeError("rate_limit_error", "rate_limit", "slow down")),
    );
    const error = await wooshpay(server.url)
      .files.retrieve({ id: "file_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, type: "rate_limit_error", code: "rate_limit" });
  });

  test("a body that is not Stripe-style still gives a WooshpayApiError with type/param undefined", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>502 Bad Gateway</html>");
    });
    const error = await wooshpay(server.url)
      .files.retrieve({ id: "file_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 502, type: undefined, param: undefined });
  });
});

describe("429 is retried (stripe-node does not)", () => {
  test("a 429 followed by a 200 resolves, after two requests", async () => {
    const server = await serve((_req, res, i) =>
      i === 0
        ? json(res, 429, stripeError("invalid_request_error", "rate_limit", "Too many requests"), {
            "retry-after": "0",
          })
        : json(res, 200, FILE),
    );
    expect(await wooshpay(server.url, 2).files.retrieve({ id: FILE.id })).toEqual(FILE);
    expect(server.requests).toHaveLength(2);
  });

  test("persistent 429 → RateLimitError after 1 + maxRetries requests (default 2)", async () => {
    const server = await serve((_req, res) =>
      json(res, 429, stripeError("invalid_request_error", "rate_limit", "Too many requests"), {
        "retry-after-ms": "1",
      }),
    );
    const error = await createWooshpayClient({ apiKey: TEST_KEY, baseUrl: server.url })
      .files.retrieve({ id: FILE.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect(error).toMatchObject({ type: "invalid_request_error", code: "rate_limit" });
    expect(server.requests).toHaveLength(3);
  });

  test("Stripe-Should-Retry style hint x-should-retry: false stops the retry", async () => {
    const server = await serve((_req, res) =>
      json(res, 429, stripeError("invalid_request_error", "rate_limit", "slow down"), { "x-should-retry": "false" }),
    );
    await expect(wooshpay(server.url, 2).files.retrieve({ id: FILE.id })).rejects.toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("results", () => {
  test("files.retrieve resolves to the File, title null kept; Request-Id via .withResponse()", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE, { "request-id": "req_ok" }));
    const { data, requestId } = await wooshpay(server.url).files.retrieve({ id: FILE.id }).withResponse();
    expect(data).toEqual(FILE);
    expect(data.title).toBeNull();
    expect(requestId).toBe("req_ok");
    expect(server.requests[0]?.url).toBe(`/v1/files/${FILE.id}`);
  });

  test("id is one encoded path segment", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    await wooshpay(server.url).files.retrieve({ id: "file_1/../../v1/charges?x=1" });
    expect(server.requests[0]?.url).toBe("/v1/files/file_1%2F..%2F..%2Fv1%2Fcharges%3Fx%3D1");
  });
});
