import { json } from "@org/testing";
import { afterEach, describe, expect, test, vi } from "vitest";
import { COZE_CN_BASE_URL, COZE_COM_BASE_URL, createCozeClient, InvalidParamsError } from "../src/index.js";
import { FILE, ok, redirectFetch, serve, TOKEN } from "./support.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("token", () => {
  test("a string token is sent as a Bearer token", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    await createCozeClient({ token: TOKEN, baseUrl: server.url }).files.retrieve({ file_id: FILE.id });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("a sync token function is called for every request, so it can rotate the token", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    let n = 0;
    const token = vi.fn(() => `pat_rotating_${++n}`);
    const coze = createCozeClient({ token, baseUrl: server.url });
    await coze.files.retrieve({ file_id: "1" });
    await coze.files.retrieve({ file_id: "2" });
    expect(token).toHaveBeenCalledTimes(2);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer pat_rotating_1",
      "Bearer pat_rotating_2",
    ]);
  });

  test("an async token function is awaited before the request", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const token = async () => {
      await new Promise((r) => setTimeout(r, 20));
      return "oauth_async_token";
    };
    await createCozeClient({ token, baseUrl: server.url }).files.retrieve({ file_id: "1" });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer oauth_async_token");
  });

  test("a token function that returns nothing fails the call before any request", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const coze = createCozeClient({ token: () => "", baseUrl: server.url });
    await expect(coze.files.retrieve({ file_id: "1" })).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("COZE_API_TOKEN", () => {
  test("is used when no token is passed", async () => {
    vi.stubEnv("COZE_API_TOKEN", "pat_from_env");
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    await createCozeClient({ baseUrl: server.url }).files.retrieve({ file_id: "1" });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer pat_from_env");
  });

  test("an explicit token wins over the environment", async () => {
    vi.stubEnv("COZE_API_TOKEN", "pat_from_env");
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    await createCozeClient({ token: TOKEN, baseUrl: server.url }).files.retrieve({ file_id: "1" });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("no token and no variable (or a blank one) is an InvalidParamsError at creation", () => {
    vi.stubEnv("COZE_API_TOKEN", "");
    expect(() => createCozeClient()).toThrow(InvalidParamsError);
    vi.stubEnv("COZE_API_TOKEN", "   ");
    expect(() => createCozeClient()).toThrow(/COZE_API_TOKEN/);
    expect(() => createCozeClient({ token: "" })).toThrow(InvalidParamsError);
  });
});

describe("base URL", () => {
  test("defaults to https://api.coze.cn; https://api.coze.com is exported as the alternative", async () => {
    expect(COZE_CN_BASE_URL).toBe("https://api.coze.cn");
    expect(COZE_COM_BASE_URL).toBe("https://api.coze.com");
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const redirect = redirectFetch(server.url);
    await createCozeClient({ token: TOKEN, fetch: redirect.fetch }).files.retrieve({ file_id: "1" });
    expect(redirect.urls).toEqual(["https://api.coze.cn/v1/files/retrieve?file_id=1"]);
  });

  test("baseUrl: COZE_COM_BASE_URL targets coze.com", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FOLDER_STUB)));
    const redirect = redirectFetch(server.url);
    await createCozeClient({ token: TOKEN, baseUrl: COZE_COM_BASE_URL, fetch: redirect.fetch }).folders.retrieve({
      folder_id: "42",
    });
    expect(redirect.urls).toEqual(["https://api.coze.com/v1/folders/42"]);
  });

  test("the token is never sent over plain http to a remote host", () => {
    expect(() => createCozeClient({ token: TOKEN, baseUrl: "http://api.coze.cn" })).toThrow(InvalidParamsError);
  });
});

const FOLDER_STUB = { id: "42", name: "n", workspace_id: "w", creator_user_id: "u" };

describe("raw access", () => {
  test("client.raw sends the token too", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    await createCozeClient({ token: TOKEN, baseUrl: server.url }).raw.GET("/v1/files/retrieve", {
      params: { query: { file_id: "1" } },
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});
