import { json, startServer, type TestServer, until } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import {
  AbortError,
  ApiError,
  InternalServerError,
  InvalidParamsError,
  InvalidResponseError,
  type OperationMeta,
  type Page,
} from "../src/index.js";
import type { PaginationMeta } from "../src/types.js";
import { rejection, testClient } from "./support.js";

interface Item {
  id: string;
  n: number;
}

/** The server's data set: it1 … it7. */
const ITEMS: Item[] = Array.from({ length: 7 }, (_, i) => ({ id: `it${i + 1}`, n: i + 1 }));

function listOp(path: string, pagination: PaginationMeta, extra: Partial<OperationMeta> = {}): OperationMeta {
  return {
    id: "items.list",
    method: "GET",
    path,
    pathParams: [],
    queryParams: ["cursor", "limit", "starting_after", "page", "size", "q"],
    required: [],
    body: false,
    idempotent: true,
    responseBody: true,
    pagination,
    ...extra,
  };
}

const cursorOp = listOp("/cursor", {
  style: "cursor",
  itemsPath: "data.items",
  cursorParam: "cursor",
  nextCursorPath: "data.next",
});
const hasMoreOp = listOp("/has-more", {
  style: "has_more",
  itemsPath: "data",
  hasMorePath: "has_more",
  afterParam: "starting_after",
  idField: "id",
});
const pageOp = (extra: Partial<Extract<PaginationMeta, { style: "page" }>>) =>
  listOp("/paged", { style: "page", itemsPath: "items", pageParam: "page", ...extra });

/** The query of a request the server saw, as a plain object. */
function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, "http://x").searchParams);
}

const limitOf = (q: URLSearchParams, fallback: number) => Number(q.get("limit") ?? q.get("size") ?? fallback);

/** A server for every style over {@link ITEMS}; the default page size is 3. */
function pagingServer(overrides: (url: URL, index: number, body: string) => unknown = () => undefined) {
  return startServer((req, res, index) => {
    const url = new URL(req.url ?? "/", "http://x");
    const override = overrides(url, index, req.body);
    if (override !== undefined) {
      if (override === "hang") return new Promise<void>(() => {});
      if (typeof override === "number") return json(res, override, { error: "boom" }, { "retry-after-ms": "5" });
      return json(res, 200, override, { "x-request-id": `req_${index}` });
    }
    const q = url.searchParams;
    const size = limitOf(q, 3);
    if (url.pathname === "/cursor") {
      const start = Number(q.get("cursor")?.slice(1) ?? 0);
      const end = start + size;
      const next = end < ITEMS.length ? `c${end}` : null;
      return json(res, 200, { data: { items: ITEMS.slice(start, end), next } }, { "x-request-id": `req_${index}` });
    }
    if (url.pathname === "/has-more") {
      const after = q.get("starting_after");
      const start = after === null ? 0 : ITEMS.findIndex((item) => item.id === after) + 1;
      const end = start + size;
      return json(res, 200, { data: ITEMS.slice(start, end), has_more: end < ITEMS.length });
    }
    if (url.pathname === "/paged") {
      const first = Number(q.get("first") ?? 1);
      const page = Number(q.get("page") ?? first);
      const start = (page - first) * size;
      const end = start + size;
      return json(res, 200, { items: ITEMS.slice(start, end), total: ITEMS.length, more: end < ITEMS.length });
    }
    return json(res, 404, { error: "no route" });
  });
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

const ids = (items: Item[]) => items.map((item) => item.id);
const ALL = ids(ITEMS);

describe("pagination: each style walks every page", () => {
  test("cursor: 3 pages, the cursor from each result, the caller's limit and filter kept on every page", async () => {
    server = await pagingServer();
    const params = Object.freeze({ limit: 3, q: "x" });
    const items = await collect(testClient(server.url).page<Item, unknown>(cursorOp, params));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url))).toEqual([
      { limit: "3", q: "x" },
      { limit: "3", q: "x", cursor: "c3" },
      { limit: "3", q: "x", cursor: "c6" },
    ]);
    expect(params).toEqual({ limit: 3, q: "x" }); // untouched (and frozen: a write would have thrown)
  });

  test("cursor: a cursor the caller passes is where the walk starts", async () => {
    server = await pagingServer();
    const items = await collect(testClient(server.url).page<Item, unknown>(cursorOp, { cursor: "c2", limit: 2 }));
    expect(ids(items)).toEqual(ALL.slice(2));
    expect(server.requests.map((r) => query(r.url).cursor)).toEqual(["c2", "c4", "c6"]);
  });

  test("has_more: 3 pages, starting_after = the previous page's last id", async () => {
    server = await pagingServer();
    const params = { limit: 3 };
    const items = await collect(testClient(server.url).page<Item, unknown>(hasMoreOp, params));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url))).toEqual([
      { limit: "3" },
      { limit: "3", starting_after: "it3" },
      { limit: "3", starting_after: "it6" },
    ]);
    expect(params).toEqual({ limit: 3 });
  });

  test("page with totalPath: page 1, 2, 3 and no 4th request", async () => {
    server = await pagingServer();
    const items = await collect(
      testClient(server.url).page<Item, unknown>(pageOp({ sizeParam: "size", totalPath: "total" }), { size: 3 }),
    );
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url))).toEqual([
      { size: "3" },
      { size: "3", page: "2" },
      { size: "3", page: "3" },
    ]);
  });

  test("page with totalPath and no size asked: the first page's length is the page size", async () => {
    server = await pagingServer();
    const items = await collect(testClient(server.url).page<Item, unknown>(pageOp({ totalPath: "total" }), {}));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url).page)).toEqual([undefined, "2", "3"]);
  });

  test("page with hasMorePath and firstPage 0", async () => {
    server = await pagingServer();
    const op = pageOp({ firstPage: 0, hasMorePath: "more" });
    const op0 = { ...op, queryParams: [...op.queryParams, "first"] };
    const items = await collect(testClient(server.url).page<Item, unknown>(op0, { first: 0, limit: 3 }));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url))).toEqual([
      { first: "0", limit: "3" },
      { first: "0", limit: "3", page: "1" },
      { first: "0", limit: "3", page: "2" },
    ]);
  });

  test("page with only sizeParam: a page shorter than the size asked for is the last", async () => {
    server = await pagingServer();
    const items = await collect(
      testClient(server.url).page<Item, unknown>(pageOp({ sizeParam: "size" }), { size: 3, page: 1 }),
    );
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url).page)).toEqual(["1", "2", "3"]);
  });

  test("page with nothing to tell the last page: an empty page ends the walk", async () => {
    server = await pagingServer();
    const items = await collect(testClient(server.url).page<Item, unknown>(pageOp({}), { size: 3 }));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url).page)).toEqual([undefined, "2", "3", "4"]);
  });

  test("a paging param in a JSON body (POST list, idempotent): each page's body carries it", async () => {
    server = await pagingServer((url, _index, text) => {
      if (url.pathname !== "/search") return undefined;
      const body = JSON.parse(text) as { cursor?: string; limit: number };
      const start = Number(body.cursor?.slice(1) ?? 0);
      const end = start + body.limit;
      return { data: { items: ITEMS.slice(start, end), next: end < ITEMS.length ? `c${end}` : null } };
    });
    const op = { ...cursorOp, method: "POST" as const, path: "/search", queryParams: [], body: true };
    const items = await collect(testClient(server.url).page<Item, unknown>(op, { limit: 3, filter: { kind: "a" } }));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([
      { limit: 3, filter: { kind: "a" } },
      { limit: 3, filter: { kind: "a" }, cursor: "c3" },
      { limit: 3, filter: { kind: "a" }, cursor: "c6" },
    ]);
  });
});

describe("pagination: pages one at a time", () => {
  test("a break out of for await sends no further request", async () => {
    server = await pagingServer();
    const seen: string[] = [];
    for await (const item of testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 })) {
      seen.push(item.id);
      if (seen.length === 4) break; // the first item of page 2
    }
    expect(seen).toEqual(ALL.slice(0, 4));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(2);
  });

  test("a break on the last item of a page does not fetch the next one", async () => {
    server = await pagingServer();
    let count = 0;
    for await (const _ of testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 })) {
      if (++count === 3) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(1);
  });

  test("hasNextPage, getNextPage, and the InvalidParamsError past the last page", async () => {
    server = await pagingServer();
    const client = testClient(server.url);
    const first = await client.page<Item, { data: { next: string | null } }>(cursorOp, { limit: 3 });
    expect(ids(first.items)).toEqual(ALL.slice(0, 3));
    expect(first.result.data.next).toBe("c3");
    expect(first.hasNextPage()).toBe(true);
    expect(server.requests).toHaveLength(1);
    const second = await first.getNextPage();
    expect(ids(second.items)).toEqual(ALL.slice(3, 6));
    const third = await second.getNextPage();
    expect(ids(third.items)).toEqual(ALL.slice(6));
    expect(third.hasNextPage()).toBe(false);
    const error = await rejection(third.getNextPage());
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.provider).toBe("test");
    expect(server.requests).toHaveLength(3);
    // a page is iterable from itself on; an earlier page can be walked again
    expect(ids(await collect(second))).toEqual(ALL.slice(3));
    expect((await first.getNextPage()).items).toEqual(second.items);
  });

  test("iterPages yields this page and each next one, fetched as the loop asks", async () => {
    server = await pagingServer();
    const first = await testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 });
    const pages: Page<Item, unknown>[] = [];
    for await (const page of first.iterPages()) {
      pages.push(page);
      expect(server.requests).toHaveLength(pages.length);
    }
    expect(pages[0]).toBe(first);
    expect(pages.map((p) => ids(p.items))).toEqual([ALL.slice(0, 3), ALL.slice(3, 6), ALL.slice(6)]);
  });

  test("withResponse gives the first page with its Response and request id", async () => {
    server = await pagingServer();
    const { data, response, requestId } = await testClient(server.url)
      .page<Item, unknown>(cursorOp, { limit: 3 })
      .withResponse();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(requestId).toBe("req_0");
    expect(ids(data.items)).toEqual(ALL.slice(0, 3));
    expect(server.requests).toHaveLength(1);
  });

  test("JSON.stringify(page) is the page's result, not the client's internals", async () => {
    server = await pagingServer();
    const page = await testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 });
    const json = JSON.stringify(page);
    expect(JSON.parse(json)).toEqual(page.result);
    expect(json).not.toContain('"operation"');
    expect(json).not.toContain('"params"');
  });

  test("iterating the same promise twice walks again from the first page (fetched once)", async () => {
    server = await pagingServer();
    const promise = testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 });
    expect(ids(await collect(promise))).toEqual(ALL);
    expect(ids(await collect(promise))).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url).cursor)).toEqual([undefined, "c3", "c6", "c3", "c6"]);
  });
});

describe("pagination: every page goes through the engine", () => {
  test("the caller's signal, aborted while reading page 1, stops the walk with an AbortError before page 2", async () => {
    server = await pagingServer();
    const controller = new AbortController();
    const seen: string[] = [];
    const walk = (async () => {
      for await (const item of testClient(server.url).page<Item, unknown>(
        cursorOp,
        { limit: 3 },
        { signal: controller.signal },
      )) {
        seen.push(item.id);
        if (seen.length === 2) controller.abort();
      }
    })();
    const error = await rejection(walk);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.provider).toBe("test");
    expect(seen).toEqual(ALL.slice(0, 3)); // the page already read is not thrown away
    expect(server.requests).toHaveLength(1);
  });

  test("the caller's signal aborts a page request in flight", async () => {
    server = await pagingServer((_url, index) => (index === 1 ? "hang" : undefined));
    const controller = new AbortController();
    const walk = collect(
      testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 }, { signal: controller.signal }),
    );
    await until(() => server?.requests.length === 2, "the page 2 request");
    controller.abort();
    expect(await rejection(walk)).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(2);
  });

  test("a retryable 500 on page 2 is retried with the same params, and the walk goes on", async () => {
    server = await pagingServer((_url, index) => (index === 1 ? 500 : undefined));
    const items = await collect(testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 }));
    expect(ids(items)).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url).starting_after)).toEqual([undefined, "it3", "it3", "it6"]);
  });

  test("a 500 on page 2 with retries off is a typed error after page 1's items", async () => {
    server = await pagingServer((_url, index) => (index === 1 ? 500 : undefined));
    const seen: string[] = [];
    const walk = (async () => {
      for await (const item of testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 }, { maxRetries: 0 }))
        seen.push(item.id);
    })();
    expect(await rejection(walk)).toBeInstanceOf(InternalServerError);
    expect(seen).toEqual(ALL.slice(0, 3));
  });

  test("an operation without pagination metadata: InvalidParamsError, nothing sent", async () => {
    server = await pagingServer();
    const { pagination: _none, ...plain } = cursorOp;
    const error = await rejection(testClient(server.url).page(plain, {}));
    expect(error).toBeInstanceOf(InvalidParamsError);
    await expect(collect(testClient(server.url).page(plain, {}))).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });

  test("params that are not an object: the engine's InvalidParamsError", async () => {
    server = await pagingServer();
    const error = await rejection(testClient(server.url).page(cursorOp, [] as unknown as object));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("pagination: a server that cannot be paged ends in a typed error", () => {
  test.each([
    ["a string", { data: { items: "nope", next: null } }],
    ["absent", { data: { next: "c3" } }],
    ["null", { data: { items: null, next: "c3" } }],
    ["an object", { data: { items: { 0: ITEMS[0] }, next: null } }],
  ])("items path %s on the first page: InvalidResponseError", async (_what, body) => {
    server = await pagingServer(() => body);
    const promise = testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 });
    const error = await rejection(promise);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toContain('"data.items"');
    expect(error.requestId).toBe("req_0");
    await expect(collect(promise)).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(promise.withResponse()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  test("items not an array on page 2: page 1's items, then InvalidResponseError", async () => {
    server = await pagingServer((_url, index) => (index === 1 ? { data: { items: "x", next: "c6" } } : undefined));
    const seen: string[] = [];
    const walk = (async () => {
      for await (const item of testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 })) seen.push(item.id);
    })();
    expect(await rejection(walk)).toBeInstanceOf(InvalidResponseError);
    expect(seen).toEqual(ALL.slice(0, 3));
    expect(server.requests).toHaveLength(2);
  });

  test("a cursor that repeats the one the request sent: InvalidResponseError, no further request", async () => {
    // the server ignores the cursor: every page is the first, with next "c3"
    server = await pagingServer((url) =>
      url.pathname === "/cursor" ? { data: { items: ITEMS.slice(0, 3), next: "c3" } } : undefined,
    );
    const seen: string[] = [];
    const walk = (async () => {
      for await (const item of testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 })) seen.push(item.id);
    })();
    const error = await rejection(walk);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("cursor");
    expect(seen).toHaveLength(6);
    expect(server.requests.map((r) => query(r.url).cursor)).toEqual([undefined, "c3"]);
    // the stuck page itself is readable; only going on is refused
    const stuck = await (await testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 })).getNextPage();
    expect(stuck.hasNextPage()).toBe(true);
    await expect(stuck.getNextPage()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  test("cursors that lead back to an earlier request (c3 → c6 → c3): InvalidResponseError, no request repeated", async () => {
    // the server's cursors cycle: c6's page points back to c3
    server = await pagingServer((url) => {
      const cursor = url.searchParams.get("cursor");
      if (url.pathname !== "/cursor") return undefined;
      const start = Number(cursor?.slice(1) ?? 0);
      return { data: { items: ITEMS.slice(start, start + 3), next: cursor === "c6" ? "c3" : `c${start + 3}` } };
    });
    const seen: string[] = [];
    const walk = (async () => {
      for await (const item of testClient(server.url).page<Item, unknown>(cursorOp, { limit: 3 })) seen.push(item.id);
    })();
    const error = await rejection(walk);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("of the request 2 pages back");
    expect(seen).toEqual(ALL);
    expect(server.requests.map((r) => query(r.url).cursor)).toEqual([undefined, "c3", "c6"]);
  });

  test("a cycle longer than the pages remembered (32) is not detected: the walk goes on", async () => {
    // cursors c0 … c39, then back to c0: a cycle of 40 pages
    server = await pagingServer((url) => {
      if (url.pathname !== "/cursor") return undefined;
      const n = Number(url.searchParams.get("cursor")?.slice(1) ?? 0);
      return { data: { items: [{ id: `it${n}` }], next: `c${(n + 1) % 40}` } };
    });
    let count = 0;
    for await (const _ of testClient(server.url).page<Item, unknown>(cursorOp, { limit: 1 })) if (++count === 45) break;
    expect(count).toBe(45);
  });

  test("has_more: a page that ends with an item an earlier request started after: InvalidResponseError", async () => {
    // after it6 the server answers as if asked for the first page again (ending with it3)
    server = await pagingServer((url) =>
      url.pathname === "/has-more" && url.searchParams.get("starting_after") === "it6"
        ? { data: ITEMS.slice(0, 3), has_more: true }
        : undefined,
    );
    const error = await rejection(collect(testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 })));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("the request 2 pages back started after");
    expect(server.requests.map((r) => query(r.url).starting_after)).toEqual([undefined, "it3", "it6"]);
  });

  test("a next cursor that is not a string or number: InvalidResponseError", async () => {
    server = await pagingServer(() => ({ data: { items: ITEMS.slice(0, 3), next: { at: 3 } } }));
    await expect(collect(testClient(server.url).page<Item, unknown>(cursorOp, {}))).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
    expect(server.requests).toHaveLength(1);
  });

  test("has_more true on a page with no items: InvalidResponseError, no further request", async () => {
    server = await pagingServer((_url, index) => (index === 1 ? { data: [], has_more: true } : undefined));
    const walk = collect(testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 }));
    const error = await rejection(walk);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("no items");
    expect(server.requests).toHaveLength(2);
  });

  test("has_more: a page that ends with the item it started after: InvalidResponseError", async () => {
    server = await pagingServer(() => ({ data: ITEMS.slice(0, 3), has_more: true }));
    await expect(collect(testClient(server.url).page<Item, unknown>(hasMoreOp, { limit: 3 }))).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
    expect(server.requests.map((r) => query(r.url).starting_after)).toEqual([undefined, "it3"]);
  });

  test("has_more: a last item without an id: InvalidResponseError", async () => {
    server = await pagingServer(() => ({ data: [{ n: 1 }], has_more: true }));
    await expect(collect(testClient(server.url).page<Item, unknown>(hasMoreOp, {}))).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
    expect(server.requests).toHaveLength(1);
  });

  test("page with hasMorePath true on an empty page: InvalidResponseError", async () => {
    server = await pagingServer(() => ({ items: [], more: true }));
    await expect(
      collect(testClient(server.url).page<Item, unknown>(pageOp({ hasMorePath: "more" }), {})),
    ).rejects.toBeInstanceOf(InvalidResponseError);
    expect(server.requests).toHaveLength(1);
  });
});
