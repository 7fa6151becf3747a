import { type ApiErrorInit, defineProviderError } from "@org/client-core";
import type { components } from "./generated/schema.js";
import type { FileIdentifier } from "./validate.js";

type ErrorIdentifier = components["schemas"]["ErrorIdentifier"];

/** The fields every {@link CogniteApiError} carries besides `status`, `code`, `message`, `requestId`. */
export interface CogniteErrorFields {
  /** Items that were not found (with `ignoreUnknownIds: false`). */
  readonly missing: ErrorIdentifier[] | undefined;
  /** Items given more than once. */
  readonly duplicated: ErrorIdentifier[] | undefined;
  /** `files.retrieveMultiple` only: files retrieved by the chunks that succeeded. */
  readonly succeeded?: components["schemas"]["FileMetadata"][];
  /** `files.retrieveMultiple` only: items of the chunks that failed or were not sent. */
  readonly failed?: FileIdentifier[];
}

/** An error from the Cognite API, with Cognite's `{error: {code, message, missing, duplicated}}`. */
export const CogniteApiError = defineProviderError<CogniteErrorFields>("cognite", "CogniteApiError");
export type CogniteApiError = InstanceType<typeof CogniteApiError>;

interface CogniteErrorBody {
  error?: { code?: number; message?: string; missing?: ErrorIdentifier[]; duplicated?: ErrorIdentifier[] };
}

/** Maps Cognite's error body onto the error. */
export function mapCogniteError(_status: number, body: unknown): Partial<ApiErrorInit> | undefined {
  const error = (body as CogniteErrorBody | null)?.error;
  if (typeof error !== "object" || error === null) return { fields: { missing: undefined, duplicated: undefined } };
  return {
    code: error.code,
    message: error.message,
    fields: { missing: error.missing, duplicated: error.duplicated },
  };
}
