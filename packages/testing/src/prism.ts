/** Prism mock servers started once for the whole run by the root vitest global setup. */
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock for each generated package, by package name. */
    prism: Record<string, string>;
  }
}

/** Base URL of the Prism mock serving the given package's spec. */
export function prismUrl(packageName: string): string {
  const url = inject("prism")[packageName];
  if (!url) throw new Error(`no Prism mock for ${packageName}`);
  return url;
}
