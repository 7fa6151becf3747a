// Fault suite for @org/wooshpay-files against a real local HTTP server.
import { describe, expect, test } from "vitest";
import { describeFaults, faultServer, timed } from "../../testing/src/faults.js";
import { json } from "../../testing/src/http-server.js";
import * as wooshpay from "../src/index.js";

const FILE: wooshpay.File = { id: "file_123", object: "file", size: 9863, title: null, type: "png" };
const client = (baseUrl: string, options: { maxRetries: number; timeoutMs?: number }) =>
  wooshpay.createWooshpayClient({ apiKey: "sk_test_fault_suite_0123456789", baseUrl, ...options });

describeFaults("wooshpay", {
  call: (baseUrl, options) => client(baseUrl, options).files.retrieve({ id: FILE.id }),
  successBody: FILE,
  expected: FILE,
  errors: { ...wooshpay, provider: wooshpay.WooshpayApiError },
});

describe("wooshpay: Stripe-style errors", () => {
  test("a 429 rate_limit_error keeps type/code and the Request-Id of the last attempt", async () => {
    const server = await faultServer((_req, res, i) =>
      json(
        res,
        429,
        { error: { type: "rate_limit_error", code: "rate_limit", message: "Too many requests", param: null } },
        { "retry-after-ms": "10", "request-id": `req_${i}` },
      ),
    );
    const { error, ms } = await timed(() => client(server.url, { maxRetries: 1 }).files.retrieve({ id: "file_1" }));
    expect(error).toBeInstanceOf(wooshpay.WooshpayApiError);
    expect(error).toBeInstanceOf(wooshpay.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit", type: "rate_limit_error", requestId: "req_1" });
    expect(server.requests).toHaveLength(2);
    expect(ms).toBeLessThan(1500);
  });
});
