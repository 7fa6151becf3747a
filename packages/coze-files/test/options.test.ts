import { json, recordingFetch } from "@org/testing";
import { describe, expect, test } from "vitest";
import { CozeApiError, createCozeClient, InternalServerError, InvalidParamsError, TimeoutError } from "../src/index.js";
import { FILE, memoryLogger, ok, serve, TOKEN } from "./support.js";

describe("common runtime options", () => {
  test("headers are sent with every request, beside User-Agent naming the package", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    await createCozeClient({ token: TOKEN, baseUrl: server.url, headers: { "x-team": "files" } }).files.retrieve(
      { file_id: "1" },
      { headers: { "x-call": "yes" } },
    );
    const headers = server.requests[0]?.headers ?? {};
    expect(headers["x-team"]).toBe("files");
    expect(headers["x-call"]).toBe("yes");
    expect(headers["user-agent"]).toMatch(/^@org\/coze-files\//);
  });

  test("fetch: a custom fetch carries the requests", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const { fetch: custom, urls: seen } = recordingFetch();
    await createCozeClient({ token: TOKEN, baseUrl: server.url, fetch: custom }).files.retrieve({ file_id: "1" });
    expect(seen).toEqual([`${server.url}/v1/files/retrieve?file_id=1`]);
  });

  test("maxRetries: retries 5xx up to the limit (default 2), 0 disables", async () => {
    const server = await serve((_req, res) => json(res, 503, { code: 5000, msg: "busy" }, { "retry-after-ms": "1" }));
    const error = await createCozeClient({ token: TOKEN, baseUrl: server.url })
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(server.requests).toHaveLength(3);
    await createCozeClient({ token: TOKEN, baseUrl: server.url, maxRetries: 0 })
      .files.retrieve({ file_id: "1" })
      .catch(() => {});
    expect(server.requests).toHaveLength(4);
  });

  test("timeoutMs: an attempt that gets no response fails with TimeoutError (a CozeApiError)", async () => {
    const server = await serve(() => {}); // never answers
    const started = Date.now();
    const error = await createCozeClient({ token: TOKEN, baseUrl: server.url, timeoutMs: 150, maxRetries: 0 })
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("logger and logLevel: debug lines per attempt, prefixed with the package", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const { logger, lines } = memoryLogger();
    await createCozeClient({ token: TOKEN, baseUrl: server.url, logger, logLevel: "debug" }).files.retrieve({
      file_id: "1",
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^debug \[@org\/coze-files\] files\.retrieve GET \/v1\/files\/retrieve -> 200 OK \(attempt 1, \d+ ms/,
    );
    const quiet = memoryLogger();
    await createCozeClient({ token: TOKEN, baseUrl: server.url, logger: quiet.logger }).files.retrieve({
      file_id: "1",
    });
    expect(quiet.lines).toHaveLength(0);
  });

  test("allowInsecureHttp permits plain http to a remote host; invalid options are InvalidParamsError", () => {
    expect(() => createCozeClient({ token: TOKEN, baseUrl: "http://coze.internal" })).toThrow(InvalidParamsError);
    expect(() =>
      createCozeClient({ token: TOKEN, baseUrl: "http://coze.internal", allowInsecureHttp: true }),
    ).not.toThrow();
    expect(() => createCozeClient({ token: TOKEN, timeoutMs: 0 })).toThrow(InvalidParamsError);
    expect(() => createCozeClient({ token: TOKEN, maxRetries: -1 })).toThrow(InvalidParamsError);
  });
});
