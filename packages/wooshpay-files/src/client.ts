import {
  type ClientOptions,
  type CoreClient,
  createCoreClient,
  InvalidParamsError,
  inBrowser,
  mergeOptions,
  readEnv,
} from "@org/client-core";
import { mapWooshpayError } from "./errors.js";
import { createResources, type Resources } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import { VERSION } from "./version.js";

/** Wooshpay's test environment; the default. Use `sk_test_` keys. */
export const WOOSHPAY_TEST_BASE_URL = "https://apitest.wooshpay.com";
/** Wooshpay's live environment. Use `sk_live_` keys. */
export const WOOSHPAY_LIVE_BASE_URL = "https://api.wooshpay.com";

/** Options of {@link createWooshpayClient}; `undefined` is the same as absent. */
export interface WooshpayClientOptions extends ClientOptions {
  /**
   * Secret key (`sk_test_…` or `sk_live_…`), sent as the HTTP Basic username. Default: the
   * `WOOSHPAY_API_KEY` env variable.
   */
  apiKey?: string | undefined;
  /**
   * Default: the `WOOSHPAY_BASE_URL` env variable, else {@link WOOSHPAY_TEST_BASE_URL};
   * {@link WOOSHPAY_LIVE_BASE_URL} for live traffic.
   */
  baseUrl?: string | undefined;
}

/** The Wooshpay Files client. */
export interface WooshpayClient extends Resources {
  /** The typed openapi-fetch client for anything else (no retries). */
  readonly raw: CoreClient<paths>["raw"];
  /**
   * A client with these options on top of this one's (`undefined` leaves an option as it is),
   * sharing its transport (connections) and its record of secrets; this client is unchanged.
   * @example const live = wooshpay.withOptions({ apiKey: liveKey, baseUrl: WOOSHPAY_LIVE_BASE_URL });
   */
  withOptions(options: WooshpayClientOptions): WooshpayClient;
}

/**
 * Creates a Wooshpay Files client.
 * @example
 * const wooshpay = createWooshpayClient({ apiKey: process.env.WOOSHPAY_API_KEY });
 * const file = await wooshpay.files.retrieve({ id: "file_123" });
 */
export function createWooshpayClient(options: WooshpayClientOptions = {}): WooshpayClient {
  return build(options ?? {}, undefined);
}

function build(options: WooshpayClientOptions, parent: CoreClient<paths> | undefined): WooshpayClient {
  const apiKey = options.apiKey ?? readEnv("WOOSHPAY_API_KEY");
  if (typeof apiKey !== "string" || apiKey === "") {
    throw new InvalidParamsError({
      message: "Wooshpay: no API key; pass { apiKey } or set WOOSHPAY_API_KEY",
      provider: "wooshpay",
    });
  }
  const authorization = `Basic ${btoa(`${apiKey}:`)}`;
  // one object for every attempt: the engine reuses the merged, checked headers while it is the same
  const credentials: Readonly<Record<string, string>> = Object.freeze({ Authorization: authorization });
  const core = createCoreClient<paths>(
    {
      packageName: "@org/wooshpay-files",
      packageVersion: VERSION,
      errorBrand: "wooshpay",
      envPrefix: "WOOSHPAY",
      defaultBaseUrl: WOOSHPAY_TEST_BASE_URL,
      requestIdHeaders: ["request-id", "x-request-id"],
      authenticate: () => credentials as Record<string, string>,
      secrets: () => [apiKey, authorization.slice("Basic ".length)],
      mapError: mapWooshpayError,
    },
    { ...options, baseUrl: options.baseUrl ?? readEnv("WOOSHPAY_BASE_URL") },
    parent,
  );
  const host = new URL(core.baseUrl).host;
  if (apiKey.startsWith("sk_live_") && host === new URL(WOOSHPAY_TEST_BASE_URL).host) {
    core.log.warn("a live key (sk_live_…) is used against the test environment");
  } else if (apiKey.startsWith("sk_test_") && host === new URL(WOOSHPAY_LIVE_BASE_URL).host) {
    core.log.warn("a test key (sk_test_…) is used against the live environment");
  }
  if (apiKey.startsWith("sk_") && inBrowser()) {
    core.log.warn(
      "a secret key (sk_…) is used in a browser, where anyone can read it; call Wooshpay from your server instead",
    );
  }
  return {
    ...createResources(core),
    raw: core.raw,
    withOptions: (overrides) => build(mergeOptions(options, overrides), core),
  };
}
