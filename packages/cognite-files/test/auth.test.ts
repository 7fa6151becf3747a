import { json } from "@org/testing";
import { describe, expect, test, vi } from "vitest";
import { AuthenticationError, CogniteApiError, createCogniteClient } from "../src/index.js";
import { byIds, delay, ids, metadataFor, PROJECT, serve, TOKEN } from "./support.js";

const FILE = metadataFor({ id: 1 });

describe("token obtained before the first request", () => {
  test("an async token provider is awaited before the first request is sent", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    const provider = vi.fn(async () => {
      await delay(30);
      return "oidc_token_1";
    });
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: provider });
    await cdf.files.retrieve({ id: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer oidc_token_1");
    expect(provider).toHaveBeenCalledTimes(1);
  });

  test("the token is fetched once and shared by later and concurrent requests", async () => {
    const server = await serve((req, res) => (req.url === "/files/byids" ? byIds(req, res) : json(res, 200, FILE)));
    const provider = vi.fn(async () => {
      await delay(20);
      return "oidc_token_shared";
    });
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: provider });
    await Promise.all([cdf.files.retrieve({ id: 1 }), cdf.files.retrieve({ id: 2 }), cdf.files.retrieve({ id: 3 })]);
    await cdf.files.retrieveMultiple({ items: ids(2500) });
    expect(provider).toHaveBeenCalledTimes(1);
    expect(server.requests).toHaveLength(6);
    expect(server.requests.every((r) => r.headers.authorization === "Bearer oidc_token_shared")).toBe(true);
  });

  test("a failing provider fails the call, sends nothing, and is asked again on the next call", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    let n = 0;
    const provider = vi.fn(async () => {
      n++;
      if (n === 1) throw new Error("identity provider unavailable");
      return "oidc_token_after_failure";
    });
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: provider });
    await expect(cdf.files.retrieve({ id: 1 })).rejects.toThrow("identity provider unavailable");
    expect(server.requests).toHaveLength(0);
    await cdf.files.retrieve({ id: 1 });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer oidc_token_after_failure");
  });
});

describe("401: the provider is called once more and the request retried once", () => {
  test("an expired token is renewed and the request succeeds", async () => {
    const server = await serve((req, res) =>
      req.headers.authorization === "Bearer oidc_token_2"
        ? json(res, 200, FILE)
        : json(res, 401, { error: { code: 401, message: "Unauthorized" } }),
    );
    let n = 0;
    const provider = vi.fn(async () => `oidc_token_${++n}`);
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: provider, maxRetries: 0 });
    expect(await cdf.files.retrieve({ id: 1 })).toEqual(FILE);
    expect(provider).toHaveBeenCalledTimes(2);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer oidc_token_1", "Bearer oidc_token_2"]);
    // later calls use the renewed token without asking again
    await cdf.files.retrieve({ id: 1 });
    expect(provider).toHaveBeenCalledTimes(2);
  });

  test("a second 401 is thrown: AuthenticationError and CogniteApiError, after exactly two requests", async () => {
    const server = await serve((_req, res) =>
      json(res, 401, { error: { code: 401, message: "Unauthorized" } }, { "x-request-id": "req-401" }),
    );
    let n = 0;
    const provider = vi.fn(async () => `oidc_token_${++n}`);
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: provider });
    const error = await cdf.files.retrieve({ id: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(error).toMatchObject({ status: 401, code: 401, requestId: "req-401" });
    expect(server.requests).toHaveLength(2);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  test("retrieveMultiple renews the token on 401 too", async () => {
    const server = await serve((req, res) =>
      req.headers.authorization === "Bearer oidc_token_2" ? byIds(req, res) : json(res, 401, { error: { code: 401 } }),
    );
    let n = 0;
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: async () => `oidc_token_${++n}` });
    expect(await cdf.files.retrieveMultiple({ items: ids(3) })).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });

  test("a string token is not 'refreshed': one request, then AuthenticationError", async () => {
    const server = await serve((_req, res) => json(res, 401, { error: { code: 401, message: "Unauthorized" } }));
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN });
    const error = await cdf.files.retrieve({ id: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe("raw access", () => {
  test("client.raw sends the token too", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN });
    await cdf.raw.GET("/files/{id}", { params: { path: { id: 1 } } });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});
