/** Test support for @org/cognite-files: a local server closed after each test, a memory logger, fixtures. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Handler, json, startServer, type TestServer } from "@org/testing";
import { afterEach } from "vitest";
import type { FileIdentifier, FileMetadata, Logger } from "../src/index.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Starts a real HTTP server on 127.0.0.1:0, closed after the current test. */
export async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** A logger that keeps every line, level first. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      lines.push(`${level} ${message} ${rest.map((r) => JSON.stringify(r)).join(" ")}`);
  return { logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") }, lines };
}

/** A `fetch` that records the URL the client asked for and sends the request to `target` instead. */
export function redirectFetch(target: string): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const redirected: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    urls.push(request.url);
    const url = new URL(request.url);
    return fetch(new Request(`${target}${url.pathname}${url.search}`, request));
  };
  return { fetch: redirected, urls };
}

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
