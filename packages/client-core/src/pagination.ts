/**
 * Auto-pagination, knowing no provider: a list operation's {@link PaginationMeta} (from the spec's
 * `x-pagination`) says where a result keeps its items and how the next request is built. Each
 * style is one page class; {@link pagePromise} is what a paginated method returns — a promise of
 * the first page that is also an `AsyncIterable` of every item of every page.
 *
 * Every page is requested through the engine's normal path (retries, timeouts, typed errors, the
 * call's `signal`), one at a time and only when the caller's loop asks for it: nothing is fetched
 * ahead. Each page's params are a fresh copy of the previous page's with the one paging param
 * changed, so a `limit` the caller passed is kept and the caller's object is never touched.
 *
 * A page that cannot lead anywhere ends in a typed error instead of a crash or an endless loop:
 * - items that are not an array → the page's request rejects with an `InvalidResponseError`;
 * - a next cursor equal to the one the request sent, a `has_more` page whose last item's id is
 *   the `after` it was asked for, or a page that says there is more but has no items → the page
 *   itself is returned (its items can be read), `hasNextPage()` is `true` (that is what the server
 *   said), and asking for the next page rejects with an `InvalidResponseError`, nothing sent.
 */
import { CallResult } from "./call-result.js";
import { type ApiError, type ApiErrorInit, InvalidParamsError, InvalidResponseError } from "./errors.js";
import type { OperationMeta, PaginationMeta, RequestOptions, WithResponse } from "./types.js";

/** One page of a list operation; also an `AsyncIterable` of every item from this page on. */
export interface Page<Item, Result = unknown> extends AsyncIterable<Item> {
  /** This page's items: the array at the operation's `itemsPath` in {@link Page.result}. */
  readonly items: Item[];
  /** This page's whole result (after the provider's unwrapping). */
  readonly result: Result;
  /** Whether the server says another page follows. */
  hasNextPage(): boolean;
  /**
   * Fetches the next page; rejects with an `InvalidParamsError` when there is none, and with an
   * `InvalidResponseError` when this page cannot lead to another (a repeated cursor, …).
   */
  getNextPage(): Promise<Page<Item, Result>>;
  /** This page and every page after it, fetched one at a time as the loop asks. */
  iterPages(): AsyncIterable<Page<Item, Result>>;
}

/**
 * What a paginated method returns: a promise of the first page (with `withResponse()`), that is
 * also `AsyncIterable` of every item of every page — `for await (const x of client.list(…))`.
 * The first page is requested at once (like any call); the others as the loop reaches them.
 */
export interface PagePromise<Item, Result = unknown> extends Promise<Page<Item, Result>>, AsyncIterable<Item> {
  /** The first page with its raw `Response` and request id. */
  withResponse(): Promise<WithResponse<Page<Item, Result>>>;
}

/** Calls a paginated operation; what generated list methods are built on. */
export type PageCaller = <Item, Result>(
  operation: OperationMeta,
  params: object | undefined,
  options?: RequestOptions,
) => PagePromise<Item, Result>;

/** A page's request params: a copy of the caller's, with the paging param set. */
type Params = Record<string, unknown>;

/** What the pages need from the engine (internal: `createCoreClient` builds it). */
export interface PageSource {
  readonly operation: OperationMeta;
  /** Sends one page's request through the engine's normal path (retries, timeouts, the call's options). */
  fetch(params: object | undefined): Promise<WithResponse<unknown>>;
  /** Makes an error of the client's brand, secrets scrubbed. */
  error(Class: typeof ApiError, init: ApiErrorInit): ApiError;
}

/** The value at a dotted path (`"data.items"`) of a parsed JSON value; `undefined` when absent. */
function at(value: unknown, path: string): unknown {
  let current = value;
  let start = 0;
  for (;;) {
    const dot = path.indexOf(".", start);
    const key = dot === -1 ? path.slice(start) : path.slice(start, dot);
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
    if (dot === -1) return current;
    start = dot + 1;
  }
}

function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** A string or finite number usable as a cursor or an id; anything else is `undefined`. */
function key(value: unknown): string | number | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return undefined;
}

/** The base of every page: items, result, and the walk from page to page. */
export abstract class AbstractPage<Item, Result = unknown> implements Page<Item, Result> {
  readonly items: Item[];
  readonly result: Result;
  /** @internal */
  protected readonly source: PageSource;
  /** @internal The params this page was requested with (a copy; never the caller's object). */
  protected readonly params: Params;
  /** @internal What the engine resolved to (its `response` is made on first use: read it only when needed). */
  protected readonly loaded: WithResponse<unknown>;
  /**
   * @internal The paging keys (cursors, or the ids started after) sent by the requests that led to
   * this page, its own last; at most {@link TRAIL} of them. A next key among them is a cycle.
   */
  protected readonly trail: readonly string[];

  /** @internal Pages are made by the engine; throws an `InvalidResponseError` when the items are not an array. */
  constructor(
    source: PageSource,
    params: Params,
    loaded: WithResponse<unknown>,
    previous?: AbstractPage<Item, Result>,
  ) {
    this.source = source;
    this.params = params;
    this.loaded = loaded;
    const sent = this.sentKey();
    const before = previous?.trail ?? [];
    this.trail = sent === undefined ? before : [...before.slice(1 - TRAIL), sent];
    this.result = loaded.data as Result;
    const path = (source.operation.pagination as PaginationMeta).itemsPath;
    const items = at(loaded.data, path);
    if (!Array.isArray(items))
      throw this.invalid(`the result has no array of items at "${path}" (got ${typeOf(items)})`);
    this.items = items as Item[];
  }

  abstract hasNextPage(): boolean;

  /** `JSON.stringify(page)` gives the page's result (what the API sent), not the client's internals. */
  toJSON(): Result {
    return this.result;
  }

  /** @internal The paging key this page's request sent, if its style has one (cursor, has_more). */
  protected sentKey(): string | undefined {
    return undefined;
  }

  /** @internal How many pages back a request sent `next` as its paging key (`undefined`: none of the last {@link TRAIL}). */
  protected stepsBack(next: string | number): number | undefined {
    const at = this.trail.lastIndexOf(String(next));
    return at === -1 ? undefined : this.trail.length - at;
  }

  /**
   * @internal The next request's params, called only when {@link hasNextPage} is `true`; throws an
   * `InvalidResponseError` when this page cannot lead to another.
   */
  protected abstract nextParams(): Params;

  async getNextPage(): Promise<AbstractPage<Item, Result>> {
    if (!this.hasNextPage()) {
      throw this.source.error(InvalidParamsError, {
        message: `${this.source.operation.id}: there is no next page (this is the last one)`,
      });
    }
    return loadPage<Item, Result>(this.source, this.nextParams(), this);
  }

  async *iterPages(): AsyncGenerator<AbstractPage<Item, Result>, void, undefined> {
    let page: AbstractPage<Item, Result> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return new ItemIterator<Item>(Promise.resolve(this));
  }

  /** @internal An `InvalidResponseError` about this page's response. */
  protected invalid(problem: string): ApiError {
    return this.source.error(InvalidResponseError, {
      message: `${this.source.operation.id}: ${problem}`,
      status: this.loaded.response.status,
      requestId: this.loaded.requestId,
    });
  }
}

/** `cursor`: the next request sends `cursorParam` = the value at `nextCursorPath`; absent, `null` or `""` ends. */
export class CursorPage<Item, Result = unknown> extends AbstractPage<Item, Result> {
  private get meta() {
    return this.source.operation.pagination as Extract<PaginationMeta, { style: "cursor" }>;
  }

  protected override sentKey(): string | undefined {
    const sent = key(this.params[this.meta.cursorParam]);
    return sent === undefined ? undefined : String(sent);
  }

  hasNextPage(): boolean {
    const cursor = at(this.result, this.meta.nextCursorPath);
    return cursor !== undefined && cursor !== null && cursor !== "";
  }

  protected nextParams(): Params {
    const { nextCursorPath, cursorParam } = this.meta;
    const raw = at(this.result, nextCursorPath);
    const cursor = key(raw);
    if (cursor === undefined) throw this.invalid(`the next cursor at "${nextCursorPath}" is a ${typeOf(raw)}`);
    const back = this.stepsBack(cursor);
    if (back === 1) {
      throw this.invalid(
        `the server returned the cursor the request sent ("${cursorParam}"); stopping rather than loop`,
      );
    }
    if (back !== undefined) {
      throw this.invalid(
        `the server returned the cursor ("${cursorParam}") of the request ${back} pages back; stopping rather than loop`,
      );
    }
    return { ...this.params, [cursorParam]: cursor };
  }
}

/** `has_more`: while `hasMorePath` is `true`, the next request sends `afterParam` = the last item's `idField`. */
export class HasMorePage<Item, Result = unknown> extends AbstractPage<Item, Result> {
  private get meta() {
    return this.source.operation.pagination as Extract<PaginationMeta, { style: "has_more" }>;
  }

  protected override sentKey(): string | undefined {
    const sent = key(this.params[this.meta.afterParam]);
    return sent === undefined ? undefined : String(sent);
  }

  hasNextPage(): boolean {
    return at(this.result, this.meta.hasMorePath) === true;
  }

  protected nextParams(): Params {
    const { hasMorePath, afterParam, idField } = this.meta;
    if (this.items.length === 0) throw this.invalid(`"${hasMorePath}" is true but the page has no items`);
    const raw = at(this.items[this.items.length - 1], idField);
    const id = key(raw);
    if (id === undefined || id === "") throw this.invalid(`the last item's "${idField}" is a ${typeOf(raw)}`);
    const back = this.stepsBack(id);
    if (back === 1) {
      throw this.invalid(
        `the page ends with the item the request started after ("${afterParam}"); stopping rather than loop`,
      );
    }
    if (back !== undefined) {
      throw this.invalid(
        `the page ends with the item the request ${back} pages back started after ("${afterParam}"); stopping rather than loop`,
      );
    }
    return { ...this.params, [afterParam]: id };
  }
}

/**
 * `page`: the next request sends `pageParam` + 1 (the first page is `firstPage`, default 1). The
 * last page: by `hasMorePath` when given; else by `totalPath` (items in all pages; an empty page
 * also ends); else by a page shorter than the `sizeParam` the request asked for, or an empty one.
 */
export class NumberedPage<Item, Result = unknown> extends AbstractPage<Item, Result> {
  /** @internal Items per page: the size asked for, or the first page's length when none was. */
  protected readonly pageSize: number;

  /** @internal */
  constructor(
    source: PageSource,
    params: Params,
    loaded: WithResponse<unknown>,
    previous?: AbstractPage<Item, Result>,
  ) {
    super(source, params, loaded, previous);
    const asked = this.meta.sizeParam === undefined ? undefined : Number(params[this.meta.sizeParam]);
    this.pageSize =
      asked !== undefined && asked > 0
        ? asked
        : previous instanceof NumberedPage
          ? previous.pageSize
          : this.items.length;
  }

  private get meta() {
    return this.source.operation.pagination as Extract<PaginationMeta, { style: "page" }>;
  }

  /** This page's number: the `pageParam` it was asked with, else `firstPage`. */
  private get number(): number {
    const value = this.params[this.meta.pageParam];
    return value === undefined || value === null ? (this.meta.firstPage ?? 1) : Number(value);
  }

  hasNextPage(): boolean {
    const { hasMorePath, totalPath, sizeParam } = this.meta;
    if (hasMorePath !== undefined) return at(this.result, hasMorePath) === true;
    if (this.items.length === 0) return false;
    const total = totalPath === undefined ? undefined : at(this.result, totalPath);
    if (typeof total === "number") {
      const seen = (this.number - (this.meta.firstPage ?? 1)) * this.pageSize + this.items.length;
      return seen < total;
    }
    const asked = sizeParam === undefined ? Number.NaN : Number(this.params[sizeParam]);
    return asked > 0 ? this.items.length >= asked : true;
  }

  protected nextParams(): Params {
    const { pageParam, hasMorePath } = this.meta;
    if (this.items.length === 0) throw this.invalid(`"${hasMorePath}" is true but the page has no items`);
    const number = this.number;
    if (!Number.isSafeInteger(number)) {
      throw this.source.error(InvalidParamsError, {
        message: `${this.source.operation.id}: "${pageParam}" must be an integer to page on, got ${String(this.params[pageParam])}`,
      });
    }
    return { ...this.params, [pageParam]: number + 1 };
  }
}

/** Requests one page and builds it (the class by the operation's style). */
function loadPage<Item, Result>(
  source: PageSource,
  params: Params,
  previous?: AbstractPage<Item, Result>,
): Promise<AbstractPage<Item, Result>> {
  return source.fetch(params).then((loaded) => {
    const style = (source.operation.pagination as PaginationMeta).style;
    return style === "cursor"
      ? new CursorPage<Item, Result>(source, params, loaded, previous)
      : style === "has_more"
        ? new HasMorePage<Item, Result>(source, params, loaded, previous)
        : new NumberedPage<Item, Result>(source, params, loaded, previous);
  });
}

/**
 * How many paging keys a page remembers: a server that leads back to one of the last 32 requests
 * is stopped with an error rather than followed forever (a longer cycle is not detected).
 */
const TRAIL = 32;

/** A page with what its request resolved to; the `Response` is still made only when read. */
function withResponse<Item, Result>(page: AbstractPage<Item, Result>): WithResponse<Page<Item, Result>> {
  const loaded = (page as unknown as { loaded: WithResponse<unknown> }).loaded;
  return new CallResult<Page<Item, Result>>(page, loaded.requestId, loaded);
}

const STYLES = new Set(["cursor", "has_more", "page"]);
const ignore = () => {};

/**
 * Makes the {@link PagePromise} of a paginated call: sends the first page's request now, with a
 * copy of `params`; the next pages are requested as the caller's loop reaches them.
 */
export function pagePromise<Item, Result>(source: PageSource, params: object | undefined): PagePromise<Item, Result> {
  let first: Promise<AbstractPage<Item, Result>>;
  const style = source.operation.pagination?.style;
  if (style === undefined || !STYLES.has(style)) {
    first = Promise.reject(
      source.error(InvalidParamsError, {
        message: `${source.operation.id}: the operation does not page (no pagination in its metadata)`,
      }),
    );
  } else if (params === undefined || (params !== null && typeof params === "object" && !Array.isArray(params))) {
    first = loadPage<Item, Result>(source, { ...params });
  } else {
    // not an object: the engine refuses it with its usual InvalidParamsError
    first = loadPage<Item, Result>(source, params as unknown as Params);
  }
  const promise = first as unknown as PagePromise<Item, Result>;
  promise.withResponse = () => {
    // whoever asks for the response handles the failure there (as with `APIPromise`)
    promise.catch(ignore);
    return first.then(withResponse);
  };
  promise[Symbol.asyncIterator] = () => new ItemIterator<Item>(promise as Promise<Page<Item, Result>>);
  return promise;
}

/**
 * Every item of a page and of the pages after it. A hand-written iterator rather than an async
 * generator: an item already in memory costs one resolved promise, not a generator's round trip.
 * The next page is requested only when `next()` is called past the last item of the current one;
 * `return()` (a `break` out of `for await`) ends the walk.
 */
class ItemIterator<Item> implements AsyncIterator<Item> {
  private page: Page<Item, unknown> | undefined;
  private index = 0;
  private done = false;

  constructor(private pending: Promise<Page<Item, unknown>> | undefined) {}

  next(): Promise<IteratorResult<Item, undefined>> {
    const page = this.page;
    if (page !== undefined && this.index < page.items.length) {
      return Promise.resolve({ value: page.items[this.index++] as Item, done: false });
    }
    return this.advance();
  }

  private async advance(): Promise<IteratorResult<Item, undefined>> {
    for (;;) {
      if (this.done) return { value: undefined, done: true };
      let page = this.page;
      if (page === undefined) {
        page = await (this.pending as Promise<Page<Item, unknown>>);
        this.pending = undefined;
      } else if (this.index >= page.items.length) {
        if (!page.hasNextPage()) {
          this.done = true;
          continue;
        }
        page = await page.getNextPage();
      }
      if (this.done) return { value: undefined, done: true }; // returned while the page was on its way
      if (page !== this.page) {
        this.page = page;
        this.index = 0;
      }
      if (this.index < page.items.length) return { value: page.items[this.index++] as Item, done: false };
    }
  }

  return(): Promise<IteratorResult<Item, undefined>> {
    this.done = true;
    this.page = undefined;
    this.pending = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
