/** Cognite token handling: fetched once before the first request, shared, renewed after a 401. */
import { InvalidParamsError } from "@org/client-core";

/** An access token, or an (async) provider of one, e.g. an OIDC client-credentials flow. */
export type CogniteToken = string | (() => string | Promise<string>);

export interface TokenCache {
  /** The current token; calls the provider on first use, or again when `refresh` is true. */
  get(refresh: boolean): Promise<string>;
  /** The current token when it is already known (no request needs to wait for it). */
  ready(): string | undefined;
  /** The last token seen, for scrubbing from error messages. */
  last(): string;
}

export function tokenCache(token: CogniteToken): TokenCache {
  let current: Promise<string> | undefined;
  let resolved: string | undefined = typeof token === "string" ? token : undefined;
  let last = typeof token === "string" ? token : "";
  const load = async (): Promise<string> => {
    const value = typeof token === "string" ? token : await token();
    if (typeof value !== "string" || value === "") {
      throw new InvalidParamsError({ message: "Cognite: the token provider returned no token" });
    }
    last = value;
    return value;
  };
  return {
    get(refresh) {
      if (current === undefined || refresh) {
        resolved = undefined;
        const loading = load();
        current = loading;
        loading.then(
          (value) => {
            if (current === loading) resolved = value;
          },
          // a failed fetch is not cached: the next request tries again
          () => {
            if (current === loading) current = undefined;
          },
        );
      }
      return current;
    },
    ready: () => resolved,
    last: () => last,
  };
}
