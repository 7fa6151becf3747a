/** Coze's response envelope `{code, msg, data, detail: {logid}}`: unwrapping and error mapping. */
import {
  type ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type UnwrapContext,
} from "@org/client-core";

interface Envelope {
  code: number;
  msg?: string;
  data?: unknown;
  detail?: { logid?: string };
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === "object" && body !== null && typeof (body as Envelope).code === "number";
}

/**
 * The typed class of an envelope code, by the HTTP status the code stands for (as the official
 * SDKs map them; https://www.coze.cn/open/docs/developer_guides/coze_error_codes). A code not
 * listed gets the class of the real HTTP status (for a 200: a plain `CozeApiError`).
 */
const CLASS_OF_CODE: ReadonlyMap<number, typeof ApiError> = new Map<number, typeof ApiError>([
  [4000, BadRequestError], // 400: invalid parameter
  [4100, AuthenticationError], // 401: the token is invalid
  [4101, PermissionDeniedError], // 403: the token lacks the permission
  [4200, NotFoundError], // 404: no such resource
  [4013, RateLimitError], // 429: retried like one, even inside an HTTP 200
]);

/** The typed class for an envelope `code`, or `undefined` to follow the HTTP status. */
const errorClassOfCode = (code: number): typeof ApiError | undefined => CLASS_OF_CODE.get(code);

const logidOf = (body: Envelope): string | undefined =>
  typeof body.detail?.logid === "string" && body.detail.logid !== "" ? body.detail.logid : undefined;

/** The `detail.logid` of an envelope, when there is one: Coze's request id, ahead of the `x-tt-logid` header. */
export const logidOfBody = (body: unknown): string | undefined => (isEnvelope(body) ? logidOf(body) : undefined);

/**
 * Returns `data` of a successful envelope. A non-zero `code` (even in an HTTP 200) becomes a
 * `CozeApiError` with the real HTTP status, of the typed class its code maps to (4100 →
 * `AuthenticationError`, 4013 → `RateLimitError`, which the engine retries like a 429, …); a body
 * that is not an envelope, or one without `data`, becomes an `InvalidResponseError` (also a
 * `CozeApiError`).
 */
export function unwrapEnvelope(body: unknown, context: UnwrapContext): unknown {
  const { status } = context;
  if (!isEnvelope(body)) {
    throw context.error(
      {
        status,
        message: `${status}: response is not a Coze envelope {code, msg, data}`,
        requestId: context.requestId,
        body,
      },
      InvalidResponseError,
    );
  }
  const requestId = logidOf(body) ?? context.requestId;
  if (body.code !== 0) {
    throw context.error(
      {
        status,
        code: body.code,
        message: `Coze error ${body.code}: ${body.msg || "no message"}`,
        requestId,
        body,
        fields: { msg: body.msg },
      },
      errorClassOfCode(body.code),
    );
  }
  if (body.data === undefined || body.data === null) {
    throw context.error(
      {
        status,
        message: `${status}: Coze envelope has code 0 but no data`,
        requestId,
        body,
      },
      InvalidResponseError,
    );
  }
  return body.data;
}

/** Maps an HTTP error whose body is a Coze envelope. */
export function mapCozeError(_status: number, body: unknown): Partial<ApiErrorInit> | undefined {
  if (!isEnvelope(body)) return undefined;
  return {
    code: body.code,
    message: body.msg || undefined,
    requestId: logidOf(body),
    fields: { msg: body.msg },
  } as Partial<ApiErrorInit>;
}
