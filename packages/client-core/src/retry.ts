/** Retry policy: which failures are retried, and how long to wait before the next attempt. */
import { type ApiError, ConnectionError, RateLimitError } from "./errors.js";

/** Statuses that are retried: timeout, conflict (lock contention), rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Largest server-requested delay that is honoured; longer ones fall back to backoff. */
export const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/**
 * The delay the server asked for, from `retry-after-ms` or `Retry-After` (seconds or an HTTP
 * date), when it is between 0 and 60 s; otherwise `undefined`.
 */
export function serverRetryDelayMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0 && value <= MAX_RETRY_AFTER_MS) return value;
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  const value = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - now;
  if (Number.isNaN(value)) return undefined;
  if (value < 0 && !Number.isFinite(seconds)) return 0; // a date in the past: go now
  return value >= 0 && value <= MAX_RETRY_AFTER_MS ? value : undefined;
}

/**
 * Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, … capped at 8 s, each reduced by up
 * to 25 % at random so that many clients do not retry in step.
 * @param retry 0 for the first retry.
 */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_DELAY_MS * 2 ** retry, MAX_DELAY_MS);
  return base * (1 - random() * 0.25);
}

/** Whether the server's `x-should-retry` header overrides the policy. */
export function serverRetryHint(headers: Headers | undefined): boolean | undefined {
  const hint = headers?.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  return undefined;
}

/**
 * Whether a failed attempt is tried again: only operations that may be repeated (idempotent),
 * within `maxRetries`, for a connection failure or timeout, a retryable status or a
 * {@link RateLimitError} of any status — unless the server's `x-should-retry` says otherwise.
 */
export function shouldRetry(
  idempotent: boolean,
  error: ApiError,
  headers: Headers | undefined,
  retries: number,
  maxRetries: number,
): boolean {
  if (retries >= maxRetries || !idempotent) return false;
  if (error instanceof ConnectionError) return true;
  const hint = serverRetryHint(headers);
  if (hint !== undefined) return hint;
  // a rate limit the provider reports in a success body (an envelope code) is retried like a 429
  if (error instanceof RateLimitError) return true;
  return error.status !== undefined && isRetryableStatus(error.status);
}
