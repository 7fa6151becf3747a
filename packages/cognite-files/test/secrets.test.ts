import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import { AuthenticationError, CogniteApiError, createCogniteClient } from "../src/index.js";
import { memoryLogger, PROJECT, serve, TOKEN } from "./support.js";

function exposed(error: unknown, lines: string[]): string {
  const e = error as Error;
  return [e.message, String(e), e.stack, JSON.stringify(e), lines.join("\n")].join("\n");
}

const echo401 = () =>
  serve((req, res) =>
    json(
      res,
      401,
      { error: { code: 401, message: `invalid token: ${req.headers.authorization}` } },
      { "x-echo": String(req.headers.authorization) },
    ),
  );

describe("the token never appears in errors or logs", () => {
  test("a string token echoed back by a 401", async () => {
    const server = await echo401();
    const { logger, lines } = memoryLogger();
    const cdf = createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN, logger, logLevel: "debug" });
    const error = await cdf.files.retrieve({ id: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(exposed(error, lines)).not.toContain(TOKEN);
  });

  test("both tokens of a provider (the first and the renewed one) echoed back by 401s", async () => {
    const server = await echo401();
    const { logger, lines } = memoryLogger();
    let n = 0;
    const cdf = createCogniteClient({
      project: PROJECT,
      baseUrl: server.url,
      token: async () => `oidc_SECRET_token_number_${++n}`,
      logger,
      logLevel: "debug",
    });
    const error = await cdf.files.retrieveMultiple({ items: [{ id: 1 }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(server.requests).toHaveLength(2);
    const text = exposed(error, lines);
    expect(text).not.toContain("oidc_SECRET_token_number_2");
    expect(text).not.toContain("oidc_SECRET_token_number_1");
  });
});
