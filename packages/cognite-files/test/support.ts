/** Test support for @org/cognite-files: fixtures, and the shared per-test helpers of @org/testing. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { json } from "@org/testing";
import type { FileIdentifier, FileMetadata } from "../src/index.js";

export { memoryLogger, redirectFetch, serve } from "@org/testing";

export const TOKEN = "eyJ_SECRET_cognite_access_token_0123456789";
export const PROJECT = "publicdata";

/** The metadata a fake CDF returns for an identifier. */
export function metadataFor(item: FileIdentifier): FileMetadata {
  const id = "id" in item ? item.id : 1_000_000 + ("externalId" in item ? item.externalId.length : 0);
  return {
    id,
    name: `file-${id}`,
    uploaded: true,
    createdTime: 1_700_000_000_000,
    lastUpdatedTime: 1_700_000_000_001,
    ...("externalId" in item ? { externalId: item.externalId } : {}),
  };
}

/** The items of a `/files/byids` request body. */
export function itemsOf(req: { body: string }): FileIdentifier[] {
  return (JSON.parse(req.body) as { items: FileIdentifier[] }).items;
}

/** Answers `/files/byids` with the metadata of each requested item, in order. */
export function byIds(
  req: IncomingMessage & { body: string },
  res: ServerResponse,
  headers: Record<string, string> = {},
) {
  json(res, 200, { items: itemsOf(req).map(metadataFor) }, headers);
}

/** `n` items `{id: start}`, `{id: start + 1}`, … */
export const ids = (n: number, start = 1): { id: number }[] => Array.from({ length: n }, (_, i) => ({ id: start + i }));

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
