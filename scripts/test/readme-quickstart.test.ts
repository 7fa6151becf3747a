// Each provider README's quick start (its first ```ts block) must run, as written, against the
// Prism mock of that provider's spec, and type-check against the package's types. The import of
// the package is pointed at its source; the mock's URL and a placeholder credential are passed
// through the environment variables the quick start reads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedPackages } from "@org/codegen";
import { prismUrl } from "@org/testing";
import ts from "typescript";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

interface Provider {
  dir: string;
  name: string;
  /** Environment the quick start reads: the base URL (set to the Prism mock) and a credential. */
  env: (mock: string) => Record<string, string>;
}

// Every generated package whose package.json says, under "openapi.client.quickStartEnv", which
// environment its README quick start reads ("{mock}" stands for the Prism mock's URL).
const providers: Provider[] = (
  generatedPackages() as { dir: string; name: string; client?: { quickStartEnv?: Record<string, string> } }[]
)
  .filter((p) => p.client?.quickStartEnv)
  .map((p) => ({
    dir: basename(p.dir),
    name: p.name,
    env: (mock: string) =>
      Object.fromEntries(Object.entries(p.client?.quickStartEnv ?? {}).map(([k, v]) => [k, v.replace("{mock}", mock)])),
  }));

/** The first ```ts block of a package README. */
function quickStart(dir: string): string {
  const readme = readFileSync(join(root, "packages", dir, "README.md"), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error(`packages/${dir}/README.md has no \`\`\`ts block`);
  return block;
}

const work = mkdtempSync(join(tmpdir(), "readme-quickstart-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Writes the quick start with the package import pointed at the package source. */
function writeRunnable(provider: Provider): string {
  const code = quickStart(provider.dir);
  const from = `from "${provider.name}"`;
  expect(code, `the quick start imports ${provider.name}`).toContain(from);
  const src = join(root, "packages", provider.dir, "src", "index.ts");
  const file = join(work, `${provider.dir}.ts`);
  writeFileSync(file, code.replaceAll(from, `from ${JSON.stringify(src)}`));
  return file;
}

describe.each(providers)("$name README quick start", (provider) => {
  test("has at most 10 lines of code", () => {
    const lines = quickStart(provider.dir)
      .split("\n")
      .filter((line) => line.trim() !== "");
    expect(lines.length).toBeLessThanOrEqual(10);
  });

  test("runs against the Prism mock without throwing and prints a result", async () => {
    const file = writeRunnable(provider);
    for (const [name, value] of Object.entries(provider.env(prismUrl(provider.name)))) vi.stubEnv(name, value);
    const printed: unknown[][] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    await import(/* @vite-ignore */ file);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.flat().every((value) => value !== undefined)).toBe(true);
    expect(warned).not.toHaveBeenCalled();
  });
});

test("every quick start type-checks against its package's types under exactOptionalPropertyTypes", () => {
  const files = providers.map((provider) => {
    const file = join(work, `${provider.dir}.typecheck.ts`);
    const src = join(root, "packages", provider.dir, "src", "index.ts");
    // `export {}` makes each file a module, so top-level await and local names are allowed
    writeFileSync(
      file,
      `${quickStart(provider.dir).replaceAll(`from "${provider.name}"`, `from ${JSON.stringify(src)}`)}\nexport {};\n`,
    );
    return file;
  });
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.test.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error("cannot read tsconfig.test.json");
  // the strictest common settings a user may have: `token: process.env.X` must compile under them
  const program = ts.createProgram(files, {
    ...config.options,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    allowImportingTsExtensions: true,
  });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(d.file.fileName))
    .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  expect(problems).toEqual([]);
});
