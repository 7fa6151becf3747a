/**
 * Reads an environment variable where one exists (Node, Bun, Deno with permission); `undefined`
 * elsewhere — and always in a browser page, where a bundler's `process.env` shim is no place for
 * credentials or settings.
 */
export function readEnv(name: string): string | undefined {
  if (inBrowser()) return undefined;
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env?: { get?: (key: string) => string | undefined } };
  };
  try {
    const value = g.process?.env?.[name] ?? g.Deno?.env?.get?.(name);
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  } catch {
    return undefined;
  }
}

/** Whether the code runs in a browser page (where anything the client holds can be read by the user). */
export function inBrowser(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== "undefined";
}
