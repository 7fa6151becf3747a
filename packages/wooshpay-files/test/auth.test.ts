import { json } from "@org/testing";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  createWooshpayClient,
  InvalidParamsError,
  WOOSHPAY_LIVE_BASE_URL,
  WOOSHPAY_TEST_BASE_URL,
} from "../src/index.js";
import { FILE, LIVE_KEY, memoryLogger, redirectFetch, serve, TEST_KEY } from "./support.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

const basicUser = (authorization: string | undefined): string => {
  expect(authorization).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
  return Buffer.from((authorization ?? "").slice("Basic ".length), "base64").toString("utf8");
};

describe("HTTP Basic with the secret key as username and an empty password", () => {
  test('Authorization: Basic base64("sk_...:")', async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    await createWooshpayClient({ apiKey: TEST_KEY, baseUrl: server.url }).files.retrieve({ id: FILE.id });
    const authorization = server.requests[0]?.headers.authorization;
    expect(authorization).toBe(`Basic ${Buffer.from(`${TEST_KEY}:`).toString("base64")}`);
    expect(basicUser(authorization)).toBe(`${TEST_KEY}:`);
  });

  test("WOOSHPAY_API_KEY is used when no apiKey is passed; an explicit apiKey wins", async () => {
    vi.stubEnv("WOOSHPAY_API_KEY", "sk_test_from_env");
    const server = await serve((_req, res) => json(res, 200, FILE));
    await createWooshpayClient({ baseUrl: server.url }).files.retrieve({ id: "file_1" });
    await createWooshpayClient({ apiKey: TEST_KEY, baseUrl: server.url }).files.retrieve({ id: "file_1" });
    expect(basicUser(server.requests[0]?.headers.authorization)).toBe("sk_test_from_env:");
    expect(basicUser(server.requests[1]?.headers.authorization)).toBe(`${TEST_KEY}:`);
  });

  test("no key and no (or a blank) WOOSHPAY_API_KEY → InvalidParamsError at creation", () => {
    vi.stubEnv("WOOSHPAY_API_KEY", "");
    expect(() => createWooshpayClient()).toThrow(InvalidParamsError);
    vi.stubEnv("WOOSHPAY_API_KEY", " ");
    expect(() => createWooshpayClient()).toThrow(/WOOSHPAY_API_KEY/);
    expect(() => createWooshpayClient({ apiKey: "" })).toThrow(InvalidParamsError);
  });
});

describe("base URL", () => {
  test("defaults to the test server https://apitest.wooshpay.com; the live one is exported", async () => {
    expect(WOOSHPAY_TEST_BASE_URL).toBe("https://apitest.wooshpay.com");
    expect(WOOSHPAY_LIVE_BASE_URL).toBe("https://api.wooshpay.com");
    const server = await serve((_req, res) => json(res, 200, FILE));
    const redirect = redirectFetch(server.url);
    await createWooshpayClient({ apiKey: TEST_KEY, fetch: redirect.fetch }).files.retrieve({ id: "file_1" });
    expect(redirect.urls).toEqual(["https://apitest.wooshpay.com/v1/files/file_1"]);
  });

  test("the key is never sent over plain http to a remote host", () => {
    expect(() => createWooshpayClient({ apiKey: TEST_KEY, baseUrl: "http://apitest.wooshpay.com" })).toThrow(
      InvalidParamsError,
    );
  });
});

describe("live/test key warnings (warn, don't fail)", () => {
  test("an sk_live_ key against the test host → one warning through logger", () => {
    const { logger, lines } = memoryLogger();
    expect(() => createWooshpayClient({ apiKey: LIVE_KEY, logger })).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn \[@org\/wooshpay-files\] .*live key.*test environment/);
    expect(lines.join("\n")).not.toContain(LIVE_KEY);
  });

  test("an sk_test_ key against the live host → one warning through logger", () => {
    const { logger, lines } = memoryLogger();
    expect(() => createWooshpayClient({ apiKey: TEST_KEY, baseUrl: WOOSHPAY_LIVE_BASE_URL, logger })).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn \[@org\/wooshpay-files\] .*test key.*live environment/);
    expect(lines.join("\n")).not.toContain(TEST_KEY);
  });

  test("matching key and host, or another host → no warning", () => {
    const { logger, lines } = memoryLogger();
    createWooshpayClient({ apiKey: TEST_KEY, logger });
    createWooshpayClient({ apiKey: LIVE_KEY, baseUrl: WOOSHPAY_LIVE_BASE_URL, logger });
    createWooshpayClient({ apiKey: LIVE_KEY, baseUrl: "http://127.0.0.1:1", logger });
    expect(lines).toEqual([]);
  });

  test('logLevel: "off" silences the warning', () => {
    const { logger, lines } = memoryLogger();
    createWooshpayClient({ apiKey: LIVE_KEY, logger, logLevel: "off" });
    expect(lines).toEqual([]);
  });
});

describe("raw access", () => {
  test("client.raw sends the key too", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    await createWooshpayClient({ apiKey: TEST_KEY, baseUrl: server.url }).raw.GET("/v1/files/{id}", {
      params: { path: { id: "file_1" } },
    });
    expect(basicUser(server.requests[0]?.headers.authorization)).toBe(`${TEST_KEY}:`);
  });
});
