/** Coze's response envelope `{code, msg, data, detail: {logid}}`: unwrapping and error mapping. */
import { type ApiErrorInit, InvalidResponseError, type UnwrapContext } from "@org/client-core";

interface Envelope {
  code: number;
  msg?: string;
  data?: unknown;
  detail?: { logid?: string };
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === "object" && body !== null && typeof (body as Envelope).code === "number";
}

const logidOf = (body: Envelope): string | undefined =>
  typeof body.detail?.logid === "string" && body.detail.logid !== "" ? body.detail.logid : undefined;

/**
 * Returns `data` of a successful envelope. A non-zero `code` (even in an HTTP 200) becomes a
 * `CozeApiError` with the real HTTP status; a body that is not an envelope, or one without
 * `data`, becomes an `InvalidResponseError` (also a `CozeApiError`).
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
    throw context.error({
      status,
      code: body.code,
      message: `Coze error ${body.code}: ${body.msg || "no message"}`,
      requestId,
      body,
      fields: { msg: body.msg },
    });
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
