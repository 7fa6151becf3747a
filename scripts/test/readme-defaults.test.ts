// What each provider README's options table says the defaults are, checked against the code: the
// retries by behaviour (a server that keeps answering 503), the per-attempt timeout against the
// engine's constant, the logger by what reaches `console` when nothing is set.
import { readFileSync } from "node:fs";
import { json, serve } from "@org/testing";
import { afterEach, describe, expect, test, vi } from "vitest";
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from "../../packages/client-core/src/index.js";
import { createCogniteClient } from "../../packages/cognite-files/src/index.js";
import { createCozeClient } from "../../packages/coze-files/src/index.js";
import { createWooshpayClient } from "../../packages/wooshpay-files/src/index.js";

/** The Default column of an option's row in a package README's options table. */
function documentedDefault(pkg: string, option: string): string {
  const readme = readFileSync(new URL(`../../packages/${pkg}/README.md`, import.meta.url), "utf8");
  const row = readme.split("\n").find((line) => line.startsWith(`| \`${option}\``));
  if (row === undefined) throw new Error(`${pkg} README has no row for ${option}`);
  return (row.split(" | ")[2] ?? "").trim();
}

/** A client of each provider on `baseUrl`, nothing but credentials set. */
const providers = [
  {
    pkg: "coze-files",
    call: (baseUrl: string) => createCozeClient({ token: "pat_x", baseUrl }).files.retrieve({ file_id: "1" }),
  },
  {
    pkg: "cognite-files",
    call: (baseUrl: string) => createCogniteClient({ project: "p", token: "t", baseUrl }).files.retrieve({ id: 1 }),
  },
  {
    pkg: "wooshpay-files",
    call: (baseUrl: string) => createWooshpayClient({ apiKey: "sk_test_x", baseUrl }).files.retrieve({ id: "file_1" }),
  },
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(providers)("$pkg README defaults", ({ pkg, call }) => {
  test("maxRetries: a 503 that keeps coming is tried 1 + the documented number of times", async () => {
    const documented = Number(documentedDefault(pkg, "maxRetries").replaceAll("`", ""));
    expect(documented).toBe(DEFAULT_MAX_RETRIES);
    const server = await serve((_req, res) => json(res, 503, { error: "busy" }, { "retry-after-ms": "0" }));
    await expect(call(server.url)).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1 + documented);
  });

  test("timeoutMs: the documented default is the engine's", () => {
    expect(Number(documentedDefault(pkg, "timeoutMs").replaceAll("`", ""))).toBe(DEFAULT_TIMEOUT_MS);
  });

  test("logger: silent by default — a failed call writes nothing to console", async () => {
    expect(documentedDefault(pkg, "logger")).toMatch(/^none \(silent\)/);
    const spies = (["debug", "info", "warn", "error", "log"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => {}),
    );
    const server = await serve((_req, res) => json(res, 404, { error: "nope" }));
    await expect(call(server.url)).rejects.toMatchObject({ status: 404 });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
