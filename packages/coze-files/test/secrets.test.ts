import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import { CozeApiError, createCozeClient, InvalidResponseError } from "../src/index.js";
import { memoryLogger, serve, TOKEN } from "./support.js";

/** Everything a user might print or ship to a log service. */
function exposed(error: unknown, lines: string[]): string {
  const e = error as Error;
  return [e.message, String(e), e.stack, JSON.stringify(e), lines.join("\n")].join("\n");
}

describe("the token never appears in errors or logs", () => {
  test("an HTTP 401 whose body and headers echo the token", async () => {
    const server = await serve((req, res) =>
      json(
        res,
        401,
        { code: 4100, msg: `token ${req.headers.authorization} is invalid`, detail: { logid: "L" } },
        { "x-echo": String(req.headers.authorization) },
      ),
    );
    const { logger, lines } = memoryLogger();
    const coze = createCozeClient({ token: TOKEN, baseUrl: server.url, logger, logLevel: "debug" });
    const error = await coze.files.retrieve({ file_id: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(exposed(error, lines)).not.toContain(TOKEN);
  });

  test("an HTTP 200 with code != 0 whose msg echoes a token returned by a token function", async () => {
    const fnToken = "pat_from_function_SECRET_42";
    const server = await serve((req, res) =>
      json(res, 200, { code: 4101, msg: `bad token ${req.headers.authorization}`, detail: { logid: "L" } }),
    );
    const { logger, lines } = memoryLogger();
    const coze = createCozeClient({ token: async () => fnToken, baseUrl: server.url, logger, logLevel: "debug" });
    const error = await coze.folders.retrieve({ folder_id: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect((error as CozeApiError).msg).toContain("[redacted]");
    expect(exposed(error, lines)).not.toContain(fnToken);
  });

  test("retries and connection failures log no token", async () => {
    const server = await serve((req, res, i) => {
      if (i === 0) json(res, 503, { code: 5000, msg: "busy" }, { "retry-after-ms": "1" });
      else req.socket.destroy();
    });
    const { logger, lines } = memoryLogger();
    const coze = createCozeClient({ token: TOKEN, baseUrl: server.url, logger, logLevel: "debug", maxRetries: 1 });
    const error = await coze.files.retrieve({ file_id: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(lines.some((l) => l.startsWith("info"))).toBe(true);
    expect(exposed(error, lines)).not.toContain(TOKEN);
  });

  test("a 200 that is not an envelope and echoes the token", async () => {
    const server = await serve((req, res) => json(res, 200, { echoed: req.headers.authorization }));
    const coze = createCozeClient({ token: TOKEN, baseUrl: server.url });
    const error = await coze.files.retrieve({ file_id: "1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(exposed(error, [])).not.toContain(TOKEN);
  });
});
