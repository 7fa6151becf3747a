/**
 * Auto-pagination. (Provisional: the types are the contract between the generator and the
 * runtime; the pagination work implements them.)
 */
import type { OperationMeta, RequestOptions, WithResponse } from "./types.js";

/** One page of a list operation; also an `AsyncIterable` of every item from this page on. */
export interface Page<Item, Result = unknown> extends AsyncIterable<Item> {
  /** This page's items. */
  readonly items: Item[];
  /** This page's whole result (after the provider's unwrapping). */
  readonly result: Result;
  /** Whether another page follows. */
  hasNextPage(): boolean;
  /** Fetches the next page; rejects with an `InvalidParamsError` when there is none. */
  getNextPage(): Promise<Page<Item, Result>>;
  /** This page and every page after it, fetched one at a time as the loop asks. */
  iterPages(): AsyncIterable<Page<Item, Result>>;
}

/**
 * What a paginated method returns: a promise of the first page (with `withResponse()`), that is
 * also `AsyncIterable` of every item of every page — `for await (const x of client.list(…))`.
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
