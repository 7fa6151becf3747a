/**
 * Auto-pagination of `files.list` (cursor in the query) and `files.filter` (cursor in the JSON body)
 * against a real local HTTP server that pages a fixed set of files by `nextCursor`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import { createCogniteClient, type FileMetadata, InvalidParamsError } from "../src/index.js";
import { metadataFor, PROJECT, serve, TOKEN } from "./support.js";

/** 7 files: with `limit: 2`, 4 pages (2, 2, 2, 1), the last without `nextCursor`. */
const FILES: FileMetadata[] = Array.from({ length: 7 }, (_, i) => metadataFor({ id: i + 1 }));

/** A page of {@link FILES} from an opaque cursor (`c<offset>`) and a limit, as CDF answers it. */
function page(res: ServerResponse, cursor: unknown, limit: unknown) {
  const offset = cursor === undefined ? 0 : Number(String(cursor).slice(1));
  const size = Number(limit ?? 100);
  const items = FILES.slice(offset, offset + size);
  const next = offset + size < FILES.length ? { nextCursor: `c${offset + size}` } : {};
  json(res, 200, { items, ...next });
}

/** `GET /files?limit=…&cursor=…` */
function listFiles(req: IncomingMessage & { body: string }, res: ServerResponse) {
  const query = new URL(req.url ?? "/", "http://x").searchParams;
  page(res, query.get("cursor") ?? undefined, query.get("limit") ?? undefined);
}

/** `POST /files/list` with `{filter, limit, cursor}` */
function filterFiles(req: IncomingMessage & { body: string }, res: ServerResponse) {
  const body = JSON.parse(req.body) as { limit?: number; cursor?: string };
  page(res, body.cursor, body.limit);
}

async function client(handler: (req: IncomingMessage & { body: string }, res: ServerResponse) => void) {
  const server = await serve(handler);
  return { server, cdf: createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN }) };
}

describe("files.list: for await follows nextCursor in the query", () => {
  test("walks every page: 4 requests, each with the previous page's nextCursor, limit kept", async () => {
    const { server, cdf } = await client(listFiles);
    const seen: number[] = [];
    for await (const file of cdf.files.list({ limit: 2 })) seen.push(file.id);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /files?limit=2",
      "GET /files?limit=2&cursor=c2",
      "GET /files?limit=2&cursor=c4",
      "GET /files?limit=2&cursor=c6",
    ]);
  });

  test("an early break stops the requests: only the pages the loop reached are fetched", async () => {
    const { server, cdf } = await client(listFiles);
    const seen: number[] = [];
    for await (const file of cdf.files.list({ limit: 2 })) {
      seen.push(file.id);
      if (file.id === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
    // give a wrongly eager implementation the time to send more
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.map((r) => r.url)).toEqual(["/files?limit=2", "/files?limit=2&cursor=c2"]);
  });

  test("the first page is the awaited result; iterPages walks page by page; the last has no next page", async () => {
    const { server, cdf } = await client(listFiles);
    const first = await cdf.files.list({ limit: 3 });
    expect(first.items.map((f) => f.id)).toEqual([1, 2, 3]);
    expect(first.result.nextCursor).toBe("c3");
    const sizes: number[] = [];
    let last = first;
    for await (const p of first.iterPages()) {
      sizes.push(p.items.length);
      last = p;
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(last.hasNextPage()).toBe(false);
    await expect(last.getNextPage()).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(3);
  });

  test("a limit outside the spec's 1..1000 is refused before anything is sent", async () => {
    const { server, cdf } = await client(listFiles);
    await expect(cdf.files.list({ limit: 1001 })).rejects.toThrow(
      /^cognite files\.list GET \/files: parameter "limit" must be ≤ 1000/,
    );
    await expect(cdf.files.list({ limit: 0 })).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("files.filter: for await follows nextCursor in the JSON body", () => {
  test("walks every page, the filter and limit kept in each body, the cursor added", async () => {
    const { server, cdf } = await client(filterFiles);
    const seen: number[] = [];
    const filter = { mimeType: "image/jpeg" };
    for await (const file of cdf.files.filter({ filter, limit: 2 })) seen.push(file.id);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(Array(4).fill("POST /files/list"));
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([
      { filter, limit: 2 },
      { filter, limit: 2, cursor: "c2" },
      { filter, limit: 2, cursor: "c4" },
      { filter, limit: 2, cursor: "c6" },
    ]);
  });

  test("an early break stops the requests", async () => {
    const { server, cdf } = await client(filterFiles);
    for await (const file of cdf.files.filter({ limit: 2 })) {
      if (file.id === 2) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([{ limit: 2 }]);
  });
});
