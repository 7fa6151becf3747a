/** Checks on Cognite identifiers, done before any request is sent. */
import { InvalidParamsError } from "@org/client-core";
import type { components } from "./generated/schema.js";

/** A file named by its internal ID, external ID or instance ID. */
export type FileIdentifier = components["schemas"]["FileIdentifier"];

/** Largest Cognite internal ID: 2^53 − 1. */
export const MAX_ID = 9007199254740991;

export function checkId(id: unknown, where: string): void {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > MAX_ID) {
    throw new InvalidParamsError({ message: `${where}: id must be an integer in 1..${MAX_ID}, got ${String(id)}` });
  }
}

export function checkExternalId(externalId: unknown, where: string): void {
  if (typeof externalId !== "string" || externalId.length < 1 || externalId.length > 255) {
    throw new InvalidParamsError({ message: `${where}: externalId must be a string of 1..255 characters` });
  }
}

/** Validates one item of a by-ids request: exactly one of id, externalId, instanceId. */
export function checkIdentifier(item: unknown, where: string): void {
  if (typeof item !== "object" || item === null) {
    throw new InvalidParamsError({ message: `${where}: must be {id}, {externalId} or {instanceId}` });
  }
  const keys = Object.keys(item).filter((k) => (item as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1) {
    throw new InvalidParamsError({ message: `${where}: must have exactly one of id, externalId, instanceId` });
  }
  const value = item as Record<string, unknown>;
  if ("id" in value && value.id !== undefined) checkId(value.id, where);
  else if ("externalId" in value && value.externalId !== undefined) checkExternalId(value.externalId, where);
  else if ("instanceId" in value && value.instanceId !== undefined) {
    const instance = value.instanceId as { space?: unknown; externalId?: unknown } | null;
    if (typeof instance?.space !== "string" || instance.space === "" || typeof instance.externalId !== "string") {
      throw new InvalidParamsError({ message: `${where}: instanceId must be {space, externalId}` });
    }
    checkExternalId(instance.externalId, where);
  } else {
    throw new InvalidParamsError({ message: `${where}: must have exactly one of id, externalId, instanceId` });
  }
}
