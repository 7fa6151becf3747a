/**
 * Merging client options for `withOptions`: an option given as `undefined` leaves the parent's
 * value (as with `exactOptionalPropertyTypes` code that passes `process.env.X` through).
 */

/** `overrides` without its `undefined` entries, laid over `options`. */
export function mergeOptions<T extends object>(options: T, overrides: T | undefined): T {
  const merged: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value !== undefined) merged[name] = value;
  }
  return merged as T;
}
