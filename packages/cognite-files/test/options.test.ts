import { json, recordingFetch } from "@org/testing";
import { describe, expect, test } from "vitest";
import {
  CogniteApiError,
  createCogniteClient,
  InternalServerError,
  InvalidParamsError,
  TimeoutError,
} from "../src/index.js";
import { memoryLogger, metadataFor, PROJECT, redirectFetch, serve, TOKEN } from "./support.js";

const FILE = metadataFor({ id: 1 });

describe("project, cluster and baseUrl", () => {
  test("project alone → https://api.cognitedata.com/api/v1/projects/<project>", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    const redirect = redirectFetch(server.url);
    await createCogniteClient({ project: PROJECT, token: TOKEN, fetch: redirect.fetch }).files.retrieve({ id: 1 });
    expect(redirect.urls).toEqual([`https://api.cognitedata.com/api/v1/projects/${PROJECT}/files/1`]);
  });

  test("cluster → https://<cluster>.cognitedata.com/api/v1/projects/<project>", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    const redirect = redirectFetch(server.url);
    await createCogniteClient({
      project: PROJECT,
      cluster: "westeurope-1",
      token: TOKEN,
      fetch: redirect.fetch,
    }).files.retrieve({ id: 1 });
    expect(redirect.urls).toEqual([`https://westeurope-1.cognitedata.com/api/v1/projects/${PROJECT}/files/1`]);
  });

  test("{project} in baseUrl is replaced by project", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    await createCogniteClient({
      project: "p1",
      baseUrl: `${server.url}/api/v1/projects/{project}`,
      token: TOKEN,
    }).files.retrieve({ id: 9 });
    expect(server.requests[0]?.url).toBe("/api/v1/projects/p1/files/9");
  });

  test("invalid project, cluster or missing token → InvalidParamsError at creation", () => {
    expect(() => createCogniteClient({ project: "a/../b", token: TOKEN })).toThrow(InvalidParamsError);
    expect(() => createCogniteClient({ project: PROJECT, cluster: "evil.com/x", token: TOKEN })).toThrow(
      InvalidParamsError,
    );
    expect(() => createCogniteClient({ project: PROJECT, token: "" })).toThrow(InvalidParamsError);
    expect(() =>
      createCogniteClient({ baseUrl: "https://x.cognitedata.com/api/v1/projects/{project}", token: TOKEN }),
    ).toThrow(/project is required/);
    expect(() => createCogniteClient({ project: PROJECT, baseUrl: "http://cdf.internal", token: TOKEN })).toThrow(
      /plain http/,
    );
  });
});

describe("common runtime options", () => {
  test("headers (client and per call) and a User-Agent naming the package", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    await createCogniteClient({
      project: PROJECT,
      baseUrl: server.url,
      token: TOKEN,
      headers: { "x-cdp-app": "me" },
    }).files.retrieve({ id: 1 }, { headers: { "x-call": "1" } });
    const headers = server.requests[0]?.headers ?? {};
    expect(headers["x-cdp-app"]).toBe("me");
    expect(headers["x-call"]).toBe("1");
    expect(headers["user-agent"]).toMatch(/^@org\/cognite-files\//);
  });

  test("maxRetries: 5xx retried twice by default, 0 disables", async () => {
    const server = await serve((_req, res) =>
      json(res, 503, { error: { code: 503, message: "busy" } }, { "retry-after-ms": "1" }),
    );
    const error = await createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN })
      .files.retrieve({ id: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(server.requests).toHaveLength(3);
    await createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN, maxRetries: 0 })
      .files.retrieve({ id: 1 })
      .catch(() => {});
    expect(server.requests).toHaveLength(4);
  });

  test("timeoutMs → TimeoutError (a CogniteApiError); the official SDK has no timeout", async () => {
    const server = await serve(() => {});
    const error = await createCogniteClient({
      project: PROJECT,
      baseUrl: server.url,
      token: TOKEN,
      timeoutMs: 150,
      maxRetries: 0,
    })
      .files.retrieveMultiple({ items: [{ id: 1 }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(CogniteApiError);
  });

  test("fetch and logger", async () => {
    const server = await serve((_req, res) => json(res, 200, FILE));
    const { fetch: custom, urls: seen } = recordingFetch();
    const { logger, lines } = memoryLogger();
    await createCogniteClient({
      project: PROJECT,
      baseUrl: server.url,
      token: TOKEN,
      fetch: custom,
      logger,
      logLevel: "debug",
    }).files.retrieve({ id: 1 });
    expect(seen).toEqual([`${server.url}/files/1`]);
    expect(lines[0]).toMatch(
      /^debug \[@org\/cognite-files\] files\.retrieve GET \/files\/1 -> 200 OK \(attempt 1, \d+ ms\)/,
    );
  });
});
