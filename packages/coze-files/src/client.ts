import {
  type BearerToken,
  bearerAuth,
  type ClientOptions,
  type CoreClient,
  createCoreClient,
  defineProviderError,
  InvalidParamsError,
  inBrowser,
  readEnv,
} from "@org/client-core";
import { mapCozeError, unwrapEnvelope } from "./envelope.js";
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

/** Options of {@link createCozeClient}. */
export interface CozeClientOptions extends ClientOptions {
  /** Personal access token (`pat_…`) or OAuth access token. Default: `COZE_API_TOKEN`. */
  token?: CozeToken;
  /** Default `https://api.coze.cn`; use {@link COZE_COM_BASE_URL} for coze.com. */
  baseUrl?: string;
}

/** The Coze Files client; each method resolves to the envelope's `data` (`openapi.client.resultPath`). */
export interface CozeClient extends Resources {
  /** The typed openapi-fetch client for anything else (no retries, envelope not unwrapped). */
  readonly raw: CoreClient<paths>["raw"];
}

/**
 * Creates a Coze Files client.
 * @example
 * const coze = createCozeClient({ token: process.env.COZE_API_TOKEN });
 * const file = await coze.files.retrieve({ file_id: "7369495981102022700" });
 */
export function createCozeClient(options: CozeClientOptions = {}): CozeClient {
  const token = options.token ?? readEnv("COZE_API_TOKEN");
  if (token === undefined || token === "") {
    throw new InvalidParamsError({ message: "Coze: no token; pass { token } or set COZE_API_TOKEN" });
  }
  const auth = bearerAuth(token, { label: "Coze", reuse: false });
  const core = createCoreClient<paths>(
    {
      packageName: "@org/coze-files",
      packageVersion: VERSION,
      errorBrand: "coze",
      defaultBaseUrl: COZE_CN_BASE_URL,
      requestIdHeaders: ["x-tt-logid"],
      authenticate: auth.authenticate,
      mapError: mapCozeError,
      unwrap: unwrapEnvelope,
    },
    options,
  );
  if (typeof token === "string" && token.startsWith("pat_") && inBrowser()) {
    core.log.warn(
      "a personal access token (pat_…) is used in a browser, where anyone can read it; use a short-lived OAuth token from your server instead",
    );
  }
  return { ...createResources(core), raw: core.raw };
}
