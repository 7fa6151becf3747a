import { type ApiErrorInit, defineProviderError } from "@org/client-core";

/** The fields of a Stripe-style error body, besides `code` and `message`. */
export interface WooshpayErrorFields {
  /**
   * Error type: `api_error`, `card_error`, `idempotency_error` or `invalid_request_error` (a rate
   * limit is an `invalid_request_error` with the code `rate_limit`); any other value the API sends
   * is passed through as is.
   */
  readonly type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error" | (string & {}) | undefined;
  /** The parameter the error relates to. */
  readonly param: string | null | undefined;
}

/** An error from the Wooshpay API, with the Stripe-style `{error: {type, code, message, param}}`. */
export const WooshpayApiError = defineProviderError<WooshpayErrorFields>("wooshpay", "WooshpayApiError");
export type WooshpayApiError = InstanceType<typeof WooshpayApiError>;

interface StripeErrorBody {
  error?: { type?: string; code?: string | null; message?: string; param?: string | null };
}

/** Maps the Stripe-style error body onto the error. */
export function mapWooshpayError(_status: number, body: unknown): Partial<ApiErrorInit> | undefined {
  const error = (body as StripeErrorBody | null)?.error;
  if (typeof error !== "object" || error === null) return { fields: { type: undefined, param: undefined } };
  return {
    code: error.code ?? undefined,
    message: error.message,
    fields: { type: error.type, param: error.param },
  };
}
