/**
 * Step 2 of an attempt: the provider's credential headers, obtained within the attempt's
 * deadline and the caller's signal. Every value they hold is remembered as a secret, so that no
 * error, log line or `cause` ever shows a credential the client has used.
 */
import { withinDeadline } from "./abort.js";
import type { AuthContext, ProviderDefinition } from "./client.js";
import { InvalidParamsError } from "./errors.js";
import type { SecretSet } from "./secrets.js";

/** The credential headers of one attempt, or `undefined` for a provider without credentials. */
export type CredentialHeaders = Record<string, string> | undefined;

/** Calls the provider's `authenticate` hook for each attempt and remembers what it returns. */
export class Credentials {
  readonly #hook: ProviderDefinition["authenticate"];
  readonly #secrets: SecretSet;

  constructor(hook: ProviderDefinition["authenticate"], secrets: SecretSet) {
    this.#hook = hook;
    this.#secrets = secrets;
  }

  /**
   * The headers for an attempt: synchronously when the hook answers so (no turn of the event
   * loop), else a promise bounded by `deadline` and `context.signal` (a `TimeoutReason` or the
   * signal's reason when either comes first).
   */
  get(context: AuthContext, deadline: number, timeoutMs: number): CredentialHeaders | Promise<CredentialHeaders> {
    const hook = this.#hook;
    if (!hook) return undefined;
    const pending = hook(context);
    if (!(pending instanceof Promise)) return this.#remember(pending);
    return withinDeadline(pending, deadline, timeoutMs, context.signal).then((headers) => this.#remember(headers));
  }

  /** Every credential header value is a secret to scrub from errors from now on. */
  #remember(headers: Record<string, string>): Record<string, string> {
    if (headers === null || typeof headers !== "object") {
      throw new InvalidParamsError({ message: "the credentials hook returned no headers" });
    }
    for (const name in headers) this.#secrets.add(headers[name]);
    return headers;
  }
}
