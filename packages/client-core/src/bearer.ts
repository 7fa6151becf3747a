/**
 * Bearer-token credentials shared by the providers that use them: a token, or a function that
 * returns one (an OAuth/OIDC flow). With `reuse`, the function's token is fetched once, shared by
 * every request, and renewed after a 401 — once for any number of concurrent 401s, and only when
 * the token that failed is still the current one.
 */
import type { AuthContext } from "./client.js";
import { InvalidParamsError } from "./errors.js";

/** A token, or a (possibly async) function returning one. */
export type BearerToken = string | (() => string | Promise<string>);

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /** Provider name for messages, e.g. `"Coze"`. */
  label: string;
  /**
   * `true`: call a token function once and reuse its token until a 401 (then renew once).
   * `false`: call it before every request (it does its own caching).
   */
  reuse: boolean;
}

/** The credential hooks of a {@link ProviderDefinition} for a bearer token. */
export interface BearerAuth {
  authenticate(context: AuthContext): Record<string, string> | Promise<Record<string, string>>;
  /** Whether the engine should renew after a 401: a token function with `reuse`. */
  readonly refreshOnUnauthorized: boolean;
}

const header = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Bearer-token credentials: see the module comment. */
export function bearerAuth(token: BearerToken, options: BearerAuthOptions): BearerAuth {
  if (typeof token === "string") {
    const fixed = header(token);
    return { authenticate: () => fixed, refreshOnUnauthorized: false };
  }
  const fetchToken = async (): Promise<string> => {
    const value = await token();
    if (typeof value !== "string" || value === "") {
      throw new InvalidParamsError({ message: `${options.label}: the token function returned no token` });
    }
    return value;
  };
  if (!options.reuse) {
    return { authenticate: () => fetchToken().then(header), refreshOnUnauthorized: false };
  }

  let current: string | undefined;
  let currentHeader: Record<string, string> | undefined;
  let loading: Promise<string> | undefined;
  const headerOf = (token: string) => {
    if (token !== current || currentHeader === undefined) return header(token);
    return currentHeader;
  };
  const load = (): Promise<string> => {
    if (loading) return loading; // one renewal for every request waiting on it
    const pending = fetchToken().then(
      (value) => {
        current = value;
        currentHeader = header(value);
        loading = undefined;
        return value;
      },
      (error: unknown) => {
        loading = undefined; // a failure is not cached: the next request tries again
        throw error;
      },
    );
    loading = pending;
    return pending;
  };
  return {
    authenticate({ refresh, rejected }) {
      if (current === undefined) return load().then(headerOf);
      // renew only if the token that got the 401 is still the current one; a request that failed
      // with an older token simply uses the newer one
      if (refresh && (rejected?.Authorization === undefined || rejected.Authorization === `Bearer ${current}`)) {
        return load().then(headerOf);
      }
      return headerOf(current);
    },
    refreshOnUnauthorized: true,
  };
}
