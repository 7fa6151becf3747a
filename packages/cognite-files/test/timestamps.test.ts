import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";
import { toDate } from "../src/index.js";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const core = fileURLToPath(new URL("../../client-core/src/index.ts", import.meta.url));
const corePublic = fileURLToPath(new URL("../../client-core/src/public.ts", import.meta.url));

/** Bundles `code` (importing the package as "pkg") the way a user's bundler would, minified. */
async function bundle(code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    minifySyntax: true,
    treeShaking: true,
    alias: { pkg: entry, "@org/client-core": core, "@org/client-core/public": corePublic },
    define: { __PACKAGE_VERSION__: '"0"' },
    external: ["openapi-fetch"],
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("timestamps", () => {
  test("stay epoch milliseconds; toDate turns one into a Date", () => {
    const date = toDate(1_700_000_000_000);
    expect(date).toBeInstanceOf(Date);
    expect(date.toISOString()).toBe("2023-11-14T22:13:20.000Z");
  });

  test("toDate costs nothing when not imported (tree-shaken)", async () => {
    const without = await bundle('import { createCogniteClient } from "pkg"; console.log(createCogniteClient);');
    const withIt = await bundle(
      'import { createCogniteClient, toDate } from "pkg"; console.log(createCogniteClient, toDate);',
    );
    expect(without).not.toMatch(/function toDate/);
    expect(withIt).toMatch(/function toDate/);
  });
});
