import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import { AuthenticationError, createWooshpayClient, WooshpayApiError } from "../src/index.js";
import { memoryLogger, serve, stripeError, TEST_KEY } from "./support.js";

const BASIC = Buffer.from(`${TEST_KEY}:`).toString("base64");

function exposed(error: unknown, lines: string[]): string {
  const e = error as Error;
  return [e.message, String(e), e.stack, JSON.stringify(e), lines.join("\n")].join("\n");
}

describe("the secret key never appears in errors or logs (neither raw nor base64)", () => {
  test("a 401 whose body and headers echo the key and the Authorization header", async () => {
    const server = await serve((req, res) => {
      const auth = String(req.headers.authorization);
      const key = Buffer.from(auth.slice(6), "base64").toString("utf8").replace(/:$/, "");
      json(res, 401, stripeError("invalid_request_error", "api_key_invalid", `Invalid API Key provided: ${key}`), {
        "x-echo": auth,
      });
    });
    const { logger, lines } = memoryLogger();
    const error = await createWooshpayClient({ apiKey: TEST_KEY, baseUrl: server.url, logger, logLevel: "debug" })
      .files.retrieve({ id: "file_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect((error as Error).message).toContain("Invalid API Key provided");
    expect(lines.length).toBeGreaterThan(0);
    const text = exposed(error, lines);
    expect(text).not.toContain(TEST_KEY);
    expect(text).not.toContain(BASIC);
  });

  test("retries and connection failures log no key", async () => {
    const server = await serve((req, res, i) => {
      if (i === 0) json(res, 429, stripeError("rate_limit_error", "rate_limit", "slow"), { "retry-after-ms": "1" });
      else req.socket.destroy();
    });
    const { logger, lines } = memoryLogger();
    const error = await createWooshpayClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      logger,
      logLevel: "debug",
      maxRetries: 1,
    })
      .files.retrieve({ id: "file_1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooshpayApiError);
    const text = exposed(error, lines);
    expect(text).not.toContain(TEST_KEY);
    expect(text).not.toContain(BASIC);
  });
});
