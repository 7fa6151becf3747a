/** Cognite token handling: fetched once before the first request, shared, renewed after a 401. */
import { InvalidParamsError } from "@org/client-core";

/** An access token, or an (async) provider of one, e.g. an OIDC client-credentials flow. */
export type CogniteToken = string | (() => string | Promise<string>);

export interface TokenCache {
  /** The current token; calls the provider on first use, or again when `refresh` is true. */
  get(refresh: boolean): Promise<string>;
  /** The last token seen, for scrubbing from error messages. */
  last(): string;
}

export function tokenCache(token: CogniteToken): TokenCache {
  let current: Promise<string> | undefined;
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
        current = load();
        // a failed fetch is not cached: the next request tries again
        current.catch(() => {
          current = undefined;
        });
      }
      return current;
    },
    last: () => last,
  };
}
