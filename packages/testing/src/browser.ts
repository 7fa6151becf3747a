/**
 * A real browser for end-to-end tests: Debian's Chromium at /usr/bin/chromium, driven by
 * playwright-core. Never downloads a browser; installs the Debian package when it is missing
 * (scripts/ensure-chromium.sh) and says why when that is impossible.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** Where Debian's `chromium` package puts the browser; override with `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const INSTALL_SCRIPT = join(ROOT, "scripts", "ensure-chromium.sh");
const INSTALL_MARKER = join(ROOT, ".tmp", "chromium-install-failed");

/** Flags for a quiet, offline, headless Chromium in a container. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Either a browser to use, or the reason the browser test must be skipped. */
export type ChromiumAvailability = { ok: true; executablePath: string } | { ok: false; reason: string };

/** Whether this is a CI run (`CI=true`), where the browser test must not be skipped for a missing browser. */
export const isCI = (): boolean => process.env.CI === "true" || process.env.CI === "1";

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Finds Chromium, installing Debian's package when it is missing (unless `BROWSER_E2E_INSTALL=0`).
 * Resolves to a skip reason only when installation was attempted and failed, or — outside CI —
 * when installing is disabled. In CI (`CI=true`) a Chromium that is missing without a failed
 * installation attempt throws, so the browser test cannot be skipped by accident.
 */
export function findChromium({ installTimeoutMs = 300_000 } = {}): ChromiumAvailability {
  if (executable(CHROMIUM_PATH)) return { ok: true, executablePath: CHROMIUM_PATH };
  if (process.env.BROWSER_E2E_INSTALL === "0") {
    const reason = `${CHROMIUM_PATH} is missing and BROWSER_E2E_INSTALL=0 forbids installing it`;
    if (isCI()) throw new Error(`${reason} (CI=true: the browser test must run)`);
    return { ok: false, reason };
  }
  const run = spawnSync("bash", [INSTALL_SCRIPT], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: installTimeoutMs,
    env: { ...process.env, CHROMIUM_PATH, CHROMIUM_INSTALL_MARKER: INSTALL_MARKER },
  });
  if (executable(CHROMIUM_PATH)) return { ok: true, executablePath: CHROMIUM_PATH };
  const why = existsSync(INSTALL_MARKER)
    ? readFileSync(INSTALL_MARKER, "utf8").trim()
    : `${INSTALL_SCRIPT} ended with ${run.error?.message ?? `status ${run.status}`}: ${(run.stderr ?? "").trim()}`;
  return { ok: false, reason: `Chromium could not be installed: ${why}` };
}

/**
 * Launches headless Chromium with a fresh temporary profile (playwright-core creates an empty
 * user-data-dir per launch and removes it on close).
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS], timeout: 20_000 });
}

/** What went wrong inside a page: uncaught exceptions, `console.error` lines, failed requests. */
export interface PageProblems {
  readonly errors: string[];
  /** `console.warn` lines (not failures, but tests may assert on them). */
  readonly warnings: string[];
  /** Rejects with the first uncaught exception in the page; race it against waits. */
  readonly firstError: Promise<never>;
}

/** Collects a page's uncaught exceptions, console errors and warnings, and failed requests from now on. */
export function watchPageProblems(page: Page): PageProblems {
  const errors: string[] = [];
  const warnings: string[] = [];
  let fail: (error: Error) => void = () => {};
  const firstError = new Promise<never>((_, reject) => {
    fail = reject;
  });
  firstError.catch(() => {}); // observed through `errors` when nobody races it
  page.on("pageerror", (error) => {
    errors.push(`pageerror: ${error.stack ?? error.message}`);
    fail(new Error(`uncaught exception in the page: ${error.message}`));
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console.error: ${message.text()}`);
    if (message.type() === "warning") warnings.push(message.text());
  });
  page.on("requestfailed", (request) => {
    errors.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  return { errors, warnings, firstError };
}
