/**
 * A client's settings, checked once when it is created: base URL, default timeout and retries,
 * the headers every request carries, the logger and the transport. Bad options are an
 * `InvalidParamsError` here, before any request.
 */

import { inBrowser, readEnv } from "./env.js";
import { InvalidParamsError } from "./errors.js";
import { type Logger, type LogLevel, levelledLogger } from "./logger.js";
import { mergeHeaders } from "./request.js";
import { defaultTransport } from "./transport.js";
import { createFetchTransport } from "./transport-fetch.js";
import type { ClientOptions } from "./types.js";
import { checkBaseUrl } from "./url.js";
import type { Transport } from "./wire.js";

/** Time allowed for each attempt when neither the client nor the call sets `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Retries after the first attempt when neither the client nor the call sets `maxRetries`. */
export const DEFAULT_MAX_RETRIES = 2;

/** What {@link resolveSettings} needs to know about the provider. */
export interface SettingsSource {
  packageName: string;
  packageVersion: string;
  defaultBaseUrl: string;
  /** Whether the provider sends credentials of its own (then `Authorization` may not be set by hand). */
  authenticates: boolean;
  envPrefix?: string | undefined;
}

/** A client's checked settings. */
export interface Settings {
  baseUrl: string;
  defaultTimeout: number;
  defaultRetries: number;
  /** `Accept`, `User-Agent` (not in a browser) and `ClientOptions.headers`. */
  staticHeaders: Record<string, string>;
  log: Logger;
  /** Whether each attempt is logged (`debug` level). */
  debug: boolean;
  transport: Transport;
}

/** Checks the options and resolves every default. Throws an unbranded `InvalidParamsError`. */
export function resolveSettings(source: SettingsSource, options: ClientOptions): Settings {
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? source.defaultBaseUrl,
    source.authenticates,
    options.allowInsecureHttp ?? false,
  );
  const defaultTimeout = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const defaultRetries = checkRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES);
  const staticHeaders = mergeHeaders(
    { Accept: "application/json" },
    inBrowser() ? undefined : { "User-Agent": `${source.packageName}/${source.packageVersion}` },
    options.headers,
  );
  if (source.authenticates && "authorization" in staticHeaders) throw authorizationRefused("headers");
  // Silent unless asked: a `logger`, a `logLevel`, or `<PREFIX>_LOG` (the option wins); without a `logger`, `console`.
  const envLevel = source.envPrefix === undefined ? undefined : logLevelFromEnv(`${source.envPrefix}_LOG`);
  const level = options.logLevel ?? envLevel;
  const log = levelledLogger(
    options.logger ?? (level === undefined ? undefined : console),
    level ?? "warn",
    `[${source.packageName}]`,
  );
  // a client of `withOptions` without a fetch of its own uses its parent's: the same `fetch`, or on
  // Node the one keep-alive transport (its connection pool)
  const transport: Transport =
    options.fetch || options.fetchOptions || !defaultTransport
      ? createFetchTransport(options.fetch ?? globalThis.fetch, options.fetchOptions)
      : defaultTransport;
  return { baseUrl, defaultTimeout, defaultRetries, staticHeaders, log, debug: level === "debug", transport };
}

/** A positive `timeoutMs`, else an `InvalidParamsError`. */
export function checkTimeout(value: number): number {
  if (!(typeof value === "number" && value > 0)) {
    throw new InvalidParamsError({ message: `timeoutMs must be a positive number, got ${String(value)}` });
  }
  return value;
}

/** A non-negative integer `maxRetries`, else an `InvalidParamsError`. */
export function checkRetries(value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new InvalidParamsError({ message: `maxRetries must be a non-negative integer, got ${String(value)}` });
  }
  return value;
}

/** Whether a headers object sets `Authorization` (in any case). */
export function hasAuthorization(headers: Record<string, string> | undefined): boolean {
  return headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
}

/** The client sends its own credentials: an `Authorization` header would silently replace them. */
export function authorizationRefused(where: string): InvalidParamsError {
  return new InvalidParamsError({
    message: `${where} may not set Authorization: the client sends its own credentials; to call with other credentials use client.withOptions({ token }) (or { apiKey }), or client.raw`,
  });
}

/** `<PREFIX>_LOG`, when it names a level; never read in a browser. */
function logLevelFromEnv(name: string): LogLevel | undefined {
  const value = inBrowser() ? undefined : readEnv(name)?.toLowerCase();
  return value === "debug" || value === "info" || value === "warn" || value === "error" || value === "off"
    ? value
    : undefined;
}
