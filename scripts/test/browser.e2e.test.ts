// The clients in a real browser: bundles scripts/test/browser-page (which imports the built
// @org/wooshpay-files and @org/coze-files) with esbuild for the browser, serves it on 127.0.0.1,
// and drives Debian's Chromium (playwright-core) to call both clients against the Prism mocks —
// cross-origin, so CORS is exercised. Fails on any uncaught exception or console error in the
// page. Skipped (with the reason printed) only when Chromium could not be installed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ChromiumAvailability,
  findChromium,
  isCI,
  launchChromium,
  prismUrl,
  serveFiles,
  watchPageProblems,
} from "@org/testing";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pageDir = join(root, "scripts", "test", "browser-page");
const screenshot = join(root, "test-results", "browser-e2e.png");
const KEY = "sk_test_browser_e2e_0123456789";
const TOKEN = "pat_browser_e2e_0123456789";

/**
 * A node_modules folder holding only the two packages (symlinks), so that esbuild resolves them
 * the way a browser bundler in an app would: through their `exports` map, browser conditions.
 */
function pageModules(packages: readonly string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), "browser-e2e-")), "node_modules");
  for (const pkg of packages) {
    const target = join(root, "packages", pkg);
    if (!existsSync(join(target, "dist"))) {
      throw new Error(`packages/${pkg}/dist is missing: run \`pnpm build\` first (pnpm test does)`);
    }
    mkdirSync(join(dir, "@org"), { recursive: true });
    symlinkSync(target, join(dir, "@org", pkg), "dir");
  }
  return dir;
}

/** The page as one browser ESM bundle of the packages' built code (esbuild fails on any `node:` import). */
async function bundlePage(): Promise<string> {
  const modules = pageModules(["wooshpay-files", "coze-files"]);
  const result = await build({
    entryPoints: [join(pageDir, "main.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    nodePaths: [modules],
    logLevel: "silent",
  }).finally(() => rmSync(dirname(modules), { recursive: true, force: true }));
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild produced no output");
  return output.text;
}

/** The 200 example Prism answers with for `GET path` of a spec. */
function example(spec: string, path: string): Record<string, unknown> {
  const doc = parse(readFileSync(join(root, "specs", spec, "openapi.yaml"), "utf8"));
  return doc.paths[path].get.responses["200"].content["application/json"].example;
}

let chromium: ChromiumAvailability;
let browser: Browser | undefined;

beforeAll(() => {
  chromium = findChromium(); // installs Debian's chromium when missing (minutes, once per machine)
}, 320_000);

afterAll(async () => {
  await browser?.close();
});

test("both clients run in Chromium against the Prism mocks and render their typed results", async (ctx) => {
  if (!chromium.ok) {
    console.warn(`SKIPPED browser e2e: ${chromium.reason}`);
    ctx.skip(chromium.reason);
    return;
  }
  const bundling = bundlePage();
  bundling.catch(() => {}); // awaited below, after the launch
  let launched: Browser;
  try {
    launched = await launchChromium(chromium.executablePath);
  } catch (error) {
    // Installed but unable to start (e.g. missing shared libraries): an error in CI, a skip elsewhere.
    if (isCI()) throw error;
    const reason = `${chromium.executablePath} cannot be launched: ${(error as Error).message.split("\n")[0]}`;
    console.warn(`SKIPPED browser e2e: ${reason}`);
    return ctx.skip(reason);
  }
  browser = launched;
  const bundle = await bundling;
  const server = await serveFiles({
    "/": { body: readFileSync(join(pageDir, "index.html")), type: "text/html; charset=utf-8" },
    "/main.js": { body: bundle, type: "text/javascript; charset=utf-8" },
  });
  try {
    const page = await launched.newPage({ viewport: { width: 900, height: 800 } });
    const problems = watchPageProblems(page);
    const hosts = new Set<string>();
    page.on("request", (request) => hosts.add(new URL(request.url()).hostname));

    const query = new URLSearchParams({ wooshpay: prismUrl("@org/wooshpay-files"), coze: prismUrl("@org/coze-files") });
    await page.goto(`${server.url}/?${query}`);
    try {
      await Promise.race([
        page.waitForFunction(() => document.body.dataset.state !== undefined, undefined, { timeout: 15_000 }),
        problems.firstError,
      ]);
    } finally {
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }

    // The one console error allowed is Chromium logging the 401 the page asked Prism for.
    const asked401 = /^console\.error: Failed to load resource: the server responded with a status of 401\b/;
    expect(problems.errors.filter((e) => !asked401.test(e))).toEqual([]);
    expect(problems.errors.filter((e) => asked401.test(e))).toHaveLength(1);
    expect(await page.textContent("#state")).toBe("done");
    const field = async (section: string, name: string) => page.textContent(`#${section} dd[data-field="${name}"]`);

    const wooshpayFile = example("wooshpay", "/v1/files/{id}");
    for (const name of ["id", "filename", "type", "purpose"]) {
      expect(await field("wooshpay-file", name)).toBe(wooshpayFile[name]);
    }
    expect(await field("wooshpay-file", "size")).toBe(String(wooshpayFile.size));

    const cozeFile = example("coze", "/v1/files/retrieve").data as Record<string, unknown>;
    expect(await field("coze-file", "id")).toBe(cozeFile.id);
    expect(await field("coze-file", "file_name")).toBe(cozeFile.file_name);
    expect(await field("coze-file", "bytes")).toBe(String(cozeFile.bytes));

    expect(await field("coze-oauth", "id")).toBe(cozeFile.id);

    const folder = example("coze", "/v1/folders/{folder_id}").data as Record<string, unknown>;
    for (const name of ["id", "name", "folder_type", "workspace_id"]) {
      expect(await field("coze-folder", name)).toBe(folder[name]);
    }

    // Typed errors work in the browser, and the key never reaches the error message.
    expect(await field("wooshpay-error", "isAuthenticationError")).toBe("true");
    expect(await field("wooshpay-error", "isWooshpayApiError")).toBe("true");
    expect(await field("wooshpay-error", "status")).toBe("401");
    const body = (await page.textContent("body")) ?? "";
    expect(body).not.toContain(KEY);
    expect(body).not.toContain(TOKEN);

    // Both clients warned, through the logger, that a secret credential is used in a browser.
    const warned = await page.textContent("#warnings");
    expect(warned).toContain("[@org/wooshpay-files] a secret key (sk_…) is used in a browser");
    expect(warned).toContain("[@org/coze-files] a personal access token (pat_…) is used in a browser");
    expect(problems.warnings.filter((w) => w.includes("is used in a browser"))).toHaveLength(2);

    // Only 127.0.0.1 was contacted: the page server and the Prism mocks.
    expect([...hosts]).toEqual(["127.0.0.1"]);
  } finally {
    await server.close();
  }
}, 45_000); // typically 6–10 s; the margin is for a loaded 2-core machine
