import { json, recordingFetch } from "@org/testing";
import { describe, expect, test } from "vitest";
import { createWooshpayClient, InvalidParamsError, TimeoutError, WooshpayApiError } from "../src/index.js";
import { FILE, memoryLogger, serve, TEST_KEY } from "./support.js";

describe("common runtime options", () => {
  test("headers (client and per call), User-Agent naming the package, custom fetch, logger", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    const { fetch: custom, urls: seen } = recordingFetch();
    const { logger, lines } = memoryLogger();
    await createWooshpayClient({
      apiKey: TEST_KEY,
      baseUrl: server.url,
      headers: { "Wooshpay-Account": "acct_1" },
      fetch: custom,
      logger,
      logLevel: "debug",
    }).files.retrieve({ id: "file_1" }, { headers: { "Idempotency-Key": "k1" } });
    const headers = server.requests[0]?.headers ?? {};
    expect(headers["wooshpay-account"]).toBe("acct_1");
    expect(headers["idempotency-key"]).toBe("k1");
    expect(headers["user-agent"]).toMatch(/^@org\/wooshpay-files\//);
    expect(seen).toEqual([`${server.url}/v1/files/file_1`]);
    expect(lines[0]).toMatch(
      /^debug \[@org\/wooshpay-files\] files\.retrieve GET \/v1\/files\/file_1 -> 200 OK \(attempt 1, \d+ ms/,
    );
  });

  test("timeoutMs → TimeoutError (a WooshpayApiError); per-call maxRetries", async () => {
    const server = await serve(() => {});
    const error = await createWooshpayClient({ apiKey: TEST_KEY, baseUrl: server.url, timeoutMs: 150 })
      .files.retrieve({ id: "file_1" }, { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(WooshpayApiError);
    expect(server.requests).toHaveLength(1);
  });

  test("allowInsecureHttp; invalid options → InvalidParamsError", () => {
    expect(() =>
      createWooshpayClient({ apiKey: TEST_KEY, baseUrl: "http://wooshpay.internal", allowInsecureHttp: true }),
    ).not.toThrow();
    expect(() => createWooshpayClient({ apiKey: TEST_KEY, timeoutMs: -5 })).toThrow(InvalidParamsError);
    expect(() => createWooshpayClient({ apiKey: TEST_KEY, baseUrl: "wooshpay" })).toThrow(InvalidParamsError);
  });
});
