import {
  type BearerToken,
  bearerAuth,
  type ClientOptions,
  type CoreClient,
  createCoreClient,
  defineProviderError,
  InvalidParamsError,
  inBrowser,
  mergeOptions,
  readEnv,
} from "@org/client-core";
import { logidOfBody, mapCozeError, unwrapEnvelope } from "./envelope.js";
import { createResources, type Resources } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import { VERSION } from "./version.js";

/** Coze China; the default. */
export const COZE_CN_BASE_URL = "https://api.coze.cn";
/** Coze international. */
export const COZE_COM_BASE_URL = "https://api.coze.com";

/** An error from the Coze API: a non-zero envelope `code` (even in an HTTP 200) or an HTTP error. */
export const CozeApiError = defineProviderError<{
  /** Coze's `msg` for the failure. */
  readonly msg: string | undefined;
}>("coze", "CozeApiError");
export type CozeApiError = InstanceType<typeof CozeApiError>;

/** A token, or a function returning one (called for every request, so it may refresh). */
export type CozeToken = BearerToken;

/** Options of {@link createCozeClient}; `undefined` is the same as absent. */
export interface CozeClientOptions extends ClientOptions {
  /** Personal access token (`pat_…`) or OAuth access token. Default: the `COZE_API_TOKEN` env variable. */
  token?: CozeToken | undefined;
  /**
   * Default: the `COZE_BASE_URL` env variable, else `https://api.coze.cn` ({@link COZE_CN_BASE_URL});
   * use {@link COZE_COM_BASE_URL} for coze.com.
   */
  baseUrl?: string | undefined;
}

/** The Coze Files client; each method resolves to the envelope's `data` (`openapi.client.resultPath`). */
export interface CozeClient extends Resources {
  /** The typed openapi-fetch client for anything else (no retries, envelope not unwrapped). */
  readonly raw: CoreClient<paths>["raw"];
  /**
   * A client with these options on top of this one's (`undefined` leaves an option as it is),
   * sharing its transport (connections) and its record of secrets; this client is unchanged.
   * @example const patient = coze.withOptions({ timeoutMs: 120_000, maxRetries: 5 });
   */
  withOptions(options: CozeClientOptions): CozeClient;
}

/**
 * Creates a Coze Files client.
 * @example
 * const coze = createCozeClient({ token: process.env.COZE_API_TOKEN });
 * const file = await coze.files.retrieve({ file_id: "7369495981102022700" });
 */
export function createCozeClient(options: CozeClientOptions = {}): CozeClient {
  return build(options ?? {}, undefined);
}

function build(options: CozeClientOptions, parent: CoreClient<paths> | undefined): CozeClient {
  const token = options.token ?? readEnv("COZE_API_TOKEN");
  if (token === undefined || token === "") {
    throw new InvalidParamsError({
      message: "Coze: no token; pass { token } or set COZE_API_TOKEN",
      provider: "coze",
    });
  }
  const auth = bearerAuth(token, { label: "Coze", reuse: false });
  const core = createCoreClient<paths>(
    {
      packageName: "@org/coze-files",
      packageVersion: VERSION,
      errorBrand: "coze",
      envPrefix: "COZE",
      defaultBaseUrl: COZE_CN_BASE_URL,
      // one rule for errors and results: the envelope's `detail.logid`, else the `x-tt-logid` header
      requestIdFromBody: logidOfBody,
      requestIdHeaders: ["x-tt-logid"],
      authenticate: auth.authenticate,
      mapError: mapCozeError,
      unwrap: unwrapEnvelope,
    },
    { ...options, baseUrl: options.baseUrl ?? readEnv("COZE_BASE_URL") },
    parent,
  );
  if (typeof token === "string" && token.startsWith("pat_") && inBrowser()) {
    core.log.warn(
      "a personal access token (pat_…) is used in a browser, where anyone can read it; use a short-lived OAuth token from your server instead",
    );
  }
  return {
    ...createResources(core),
    raw: core.raw,
    withOptions: (overrides) => build(mergeOptions(options, overrides), core),
  };
}
