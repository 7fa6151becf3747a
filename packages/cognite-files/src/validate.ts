/**
 * Checks on Cognite identifiers that the runtime cannot make from the generated constraints, done
 * before any request is sent. The runtime checks each param against its constraint
 * (`operationMeta[…].constraints`), but an item of a by-ids request is a `oneOf` (id | externalId |
 * instanceId), which a constraint does not describe: those items are checked here, against the
 * limits the generator took from the spec, not against copies of them.
 */
import { InvalidParamsError, type ParamConstraint } from "@org/client-core";
import { operationMeta } from "./generated/operations.js";
import type { components } from "./generated/schema.js";

/** A file named by its internal ID, external ID or instance ID. */
export type FileIdentifier = components["schemas"]["FileIdentifier"];

/**
 * The spec's limits of each kind of identifier (`CogniteInternalId`, `CogniteExternalId`,
 * `InstanceSpace`, `InstanceExternalId`): `files.icon` takes each one as a query parameter, so its
 * generated constraints carry all four.
 */
const LIMITS = operationMeta["files.icon"].constraints;

/** Largest Cognite internal ID: 2^53 − 1 (the spec's `CogniteInternalId.maximum`). */
export const MAX_ID: number = LIMITS.id.maximum;

const codePoints = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

const patterns = new Map<string, RegExp>();

/** Whether `value` is a string that meets a string constraint (length in code points, pattern). */
function meets(value: unknown, c: ParamConstraint): value is string {
  if (typeof value !== "string") return false;
  const length = codePoints(value);
  if (c.minLength !== undefined && length < c.minLength) return false;
  if (c.maxLength !== undefined && length > c.maxLength) return false;
  if (c.pattern !== undefined) {
    let regex = patterns.get(c.pattern);
    if (regex === undefined) {
      regex = new RegExp(c.pattern, "u");
      patterns.set(c.pattern, regex);
    }
    if (!regex.test(value)) return false;
  }
  return true;
}

const range = (c: ParamConstraint) => `${c.minLength ?? 0}..${c.maxLength ?? "∞"} characters`;

/** An internal ID: a JSON number (not a bigint: a body cannot carry one), an integer within the spec's bounds. */
export function checkId(id: unknown, where: string): void {
  const { minimum, maximum } = LIMITS.id;
  if (typeof id !== "number" || !Number.isInteger(id) || id < minimum || id > maximum) {
    throw new InvalidParamsError({
      message: `${where}: id must be an integer in ${minimum}..${maximum}, got ${String(id)}`,
    });
  }
}

export function checkExternalId(externalId: unknown, where: string): void {
  if (!meets(externalId, LIMITS.externalId)) {
    throw new InvalidParamsError({
      message: `${where}: externalId must be a string of ${range(LIMITS.externalId)}`,
    });
  }
}

function checkInstanceId(instance: unknown, where: string): void {
  const { space, externalId } = (instance ?? {}) as { space?: unknown; externalId?: unknown };
  if (
    typeof instance !== "object" ||
    instance === null ||
    typeof space !== "string" ||
    typeof externalId !== "string"
  ) {
    throw new InvalidParamsError({ message: `${where}: instanceId must be {space, externalId}` });
  }
  if (!meets(space, LIMITS.space)) {
    throw new InvalidParamsError({
      message: `${where}: instanceId.space must be a string of ${range(LIMITS.space)} matching /${LIMITS.space.pattern}/`,
    });
  }
  if (!meets(externalId, LIMITS.instanceExternalId)) {
    throw new InvalidParamsError({
      message: `${where}: instanceId.externalId must be a string of ${range(LIMITS.instanceExternalId)} matching /${LIMITS.instanceExternalId.pattern}/`,
    });
  }
}

/** Validates one item of a by-ids request: exactly one of id, externalId, instanceId. */
export function checkIdentifier(item: unknown, where: string): void {
  if (typeof item !== "object" || item === null) {
    throw new InvalidParamsError({ message: `${where}: must be {id}, {externalId} or {instanceId}` });
  }
  const value = item as Record<string, unknown>;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.length !== 1) {
    throw new InvalidParamsError({ message: `${where}: must have exactly one of id, externalId, instanceId` });
  }
  if (value.id !== undefined) checkId(value.id, where);
  else if (value.externalId !== undefined) checkExternalId(value.externalId, where);
  else if (value.instanceId !== undefined) checkInstanceId(value.instanceId, where);
  else throw new InvalidParamsError({ message: `${where}: must have exactly one of id, externalId, instanceId` });
}

/**
 * The fields `files.update` may patch, per the spec (`FileChange` for an id or externalId,
 * `DMSFileChange` for an instanceId). `satisfies Record<keyof …, true>` makes the compiler fail
 * here when the spec adds or removes a patchable field, so the list cannot drift from it.
 */
const FILE_PATCHES = {
  externalId: true,
  directory: true,
  source: true,
  mimeType: true,
  metadata: true,
  assetIds: true,
  sourceCreatedTime: true,
  sourceModifiedTime: true,
  dataSetId: true,
  securityCategories: true,
  labels: true,
  geoLocation: true,
} as const satisfies Record<keyof components["schemas"]["FileChange"]["update"], true>;
const DMS_FILE_PATCHES = {
  externalId: true,
  metadata: true,
  assetIds: true,
  dataSetId: true,
  labels: true,
  geoLocation: true,
} as const satisfies Record<keyof components["schemas"]["DMSFileChange"]["update"], true>;

/**
 * Checks the `update` of one `files.update` item: an object whose every key is a field the spec
 * lets that kind of item patch (a misspelt field would otherwise be ignored or refused by CDF
 * only after sending).
 */
export function checkPatch(update: unknown, byInstanceId: boolean, where: string): void {
  if (typeof update !== "object" || update === null || Array.isArray(update)) {
    throw new InvalidParamsError({ message: `${where}: update must be an object of patches` });
  }
  const allowed: Record<string, true> = byInstanceId ? DMS_FILE_PATCHES : FILE_PATCHES;
  for (const field of Object.keys(update)) {
    if ((update as Record<string, unknown>)[field] === undefined) continue;
    if (!Object.hasOwn(allowed, field)) {
      throw new InvalidParamsError({
        message: `${where}: update.${field.length > 40 ? `${field.slice(0, 40)}…` : field} is not a field a file${byInstanceId ? " named by instanceId" : ""} can patch (${Object.keys(allowed).join(", ")})`,
      });
    }
  }
}
