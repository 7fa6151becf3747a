import { json, memoryLogger, startServer, type TestServer } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import { ApiError, ConnectionError, InvalidParamsError } from "../src/index.js";
import { getItem, rejection, SECRET, testClient } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("path and query encoding", () => {
  test.each([
    ["../admin", "/items/..%2Fadmin"],
    ["a?b=c", "/items/a%3Fb%3Dc"],
    ["a#frag", "/items/a%23frag"],
    ["100%", "/items/100%25"],
    ["a/b", "/items/a%2Fb"],
    ["$&$'$`", "/items/%24%26%24'%24%60"],
    ["ünï cødé", "/items/%C3%BCn%C3%AF%20c%C3%B8d%C3%A9"],
  ])("id %j is one encoded path segment: %s", async (id, expected) => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await testClient(server.url).call(getItem, { id });
    expect(server.requests[0]?.url).toBe(expected);
  });

  test.each([".", ".."])(
    "the dot segment %j is refused before any request (URLs collapse it even encoded)",
    async (id) => {
      server = await startServer((_req, res) => json(res, 200, {}));
      await expect(testClient(server.url).call(getItem, { id })).rejects.toThrow(/cannot be/);
      expect(server.requests).toHaveLength(0);
    },
  );

  test("a query value cannot add a query parameter", async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await testClient(server.url).call(getItem, { id: "1", q: "abc&x=1#y" });
    const url = new URL(server.requests[0]?.url ?? "", server.url);
    expect([...url.searchParams.keys()]).toEqual(["q"]);
    expect(url.searchParams.get("q")).toBe("abc&x=1#y");
  });

  test("missing or empty required params are rejected before any request", async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const client = testClient(server.url);
    await expect(client.call(getItem, {})).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(client.call(getItem, { id: "" })).rejects.toThrow(/path parameter "id"/);
    await expect(client.call(getItem, { id: { toString: () => "x" } })).rejects.toThrow(/string or a number/);
    await expect(client.call(getItem, "1" as unknown as object)).rejects.toThrow(/params must be an object/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("credentials", () => {
  test("the secret appears in no error message, JSON or log line", async () => {
    server = await startServer((req, res) =>
      json(
        res,
        401,
        { error: `token ${req.headers.authorization} is invalid` },
        { "set-cookie": `session=${SECRET}`, "x-echo-auth": String(req.headers.authorization) },
      ),
    );
    const { logger, lines } = memoryLogger();
    const client = testClient(
      server.url,
      { logger, logLevel: "debug" },
      {
        mapError: (_s, body) => ({ message: (body as { error: string }).error }),
      },
    );
    const error = await rejection(client.call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(ApiError);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain("[redacted]");
    expect(error.headers?.["set-cookie"]).toBe("[redacted]");
    expect(String(error)).not.toContain(SECRET);
    expect(error.stack).not.toContain(SECRET);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(SECRET);
    // the server echoed the token in its body and a header: scrubbed there too
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(JSON.stringify(error.body)).toContain("[redacted]");
    expect(error.headers?.["x-echo-auth"]).toBe("Bearer [redacted]");
  });

  test("JSON.stringify of an error holds no request headers", async () => {
    server = await startServer((_req, res) => json(res, 500, { error: "boom" }));
    const error = await rejection(testClient(server.url, { maxRetries: 0 }).call(getItem, { id: "1" }));
    const text = JSON.stringify(error);
    expect(text).toContain('"status":500');
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/authorization/i);
  });

  test("connection errors do not leak the secret", async () => {
    server = await startServer((req) => req.socket.destroy());
    const error = await rejection(testClient(server.url, { maxRetries: 0 }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(String(error)).not.toContain(SECRET);
  });

  test("credentials are refused over plain http to a non-loopback host, unless opted in", () => {
    expect(() => testClient("http://api.example.com")).toThrow(/refusing to send credentials over plain http/);
    expect(() => testClient("http://api.example.com", { allowInsecureHttp: true })).not.toThrow();
    expect(() => testClient("https://api.example.com")).not.toThrow();
    expect(() => testClient("http://localhost:1234")).not.toThrow();
    expect(() => testClient("http://127.0.0.1:1234")).not.toThrow();
    expect(() => testClient("http://[::1]:1234")).not.toThrow();
    expect(() => testClient("ftp://x")).toThrow(/http\(s\)/);
    expect(() => testClient("not a url")).toThrow(/absolute URL/);
  });
});

describe("headers, user agent, logging", () => {
  test("sends Accept, a User-Agent naming the package and version, client and per-call headers", async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await testClient(server.url, { headers: { "x-client": "a", "x-both": "client" } }).call(
      getItem,
      { id: "1" },
      { headers: { "x-call": "b", "x-both": "call" } },
    );
    const headers = server.requests[0]?.headers ?? {};
    expect(headers["user-agent"]).toBe("@org/test-client/1.2.3");
    expect(headers.accept).toBe("application/json");
    expect(headers["x-client"]).toBe("a");
    expect(headers["x-call"]).toBe("b");
    expect(headers["x-both"]).toBe("call");
  });

  test("the logger gets debug lines per attempt and info lines per retry, filtered by level", async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 503, {}, { "retry-after-ms": "1" }) : json(res, 200, {}),
    );
    const debug = memoryLogger();
    await testClient(server.url, { logger: debug.logger, logLevel: "debug" }).call(getItem, { id: "1" });
    expect(debug.lines.filter((l) => l.startsWith("debug"))).toHaveLength(2);
    expect(debug.lines.some((l) => l.startsWith("info") && l.includes("retry 1/2"))).toBe(true);
    expect(debug.lines.every((l) => l.includes("[@org/test-client]"))).toBe(true);
    const warn = memoryLogger();
    await testClient(server.url, { logger: warn.logger }).call(getItem, { id: "1" });
    expect(warn.lines).toHaveLength(0);
  });

  test("raw exposes the openapi-fetch client on the same base URL", async () => {
    server = await startServer((_req, res) => json(res, 200, { raw: true }));
    const { data } = await testClient(server.url).raw.GET("/anything" as never);
    expect(data).toEqual({ raw: true });
    expect(server.requests[0]?.url).toBe("/anything");
  });
});
