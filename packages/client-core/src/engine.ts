/**
 * What every step of a call reads about its client: the provider, the checked settings, the
 * error kit (brand and secrets), the credentials and how responses are read. Built once per
 * client by `createCoreClient`; the steps (`attempt.ts`, `call-loop.ts`, `external.ts`) are plain
 * functions of it, each readable and testable on its own.
 */
import type { ProviderDefinition } from "./client.js";
import type { CredentialHeaders, Credentials } from "./credentials.js";
import type { ErrorKit } from "./error-kit.js";
import type { ResponseHooks } from "./response.js";
import type { Settings } from "./settings.js";

/** One client's engine state. */
export interface Engine {
  readonly provider: ProviderDefinition;
  readonly settings: Settings;
  /** Brands and scrubs every error of the client. */
  readonly kit: ErrorKit;
  readonly credentials: Credentials;
  /** How the API's responses are read: the provider's error mapping, unwrapping and request ids. */
  readonly hooks: ResponseHooks;
  /** How another host's responses are read (`CoreClient.send`): no mapping, no unwrapping. */
  readonly externalHooks: ResponseHooks;
  /**
   * The headers of the last plain attempt (no call headers, no body), reused while the
   * credentials object is the same: nothing to merge and check again.
   */
  readonly lastHeaders: { credentials?: CredentialHeaders; headers?: Record<string, string> };
}
