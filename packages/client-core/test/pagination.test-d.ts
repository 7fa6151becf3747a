import { describe, expectTypeOf, test } from "vitest";
import type { CoreClient, OperationMeta, Page, PagePromise, WithResponse } from "../src/index.js";
import type { PageItem } from "../src/types.js";

interface File {
  id: string;
  bytes: number;
}
interface ListResult {
  data: { files: File[]; next_cursor?: string | null };
}
type Item = PageItem<ListResult, "data.files">;

declare const core: CoreClient<{}>;
declare const meta: OperationMeta;
declare const promise: PagePromise<Item, ListResult>;

describe("PagePromise", () => {
  test("for await over the promise gives the item type", async () => {
    expectTypeOf<Item>().toEqualTypeOf<File>();
    for await (const file of promise) {
      expectTypeOf(file).toEqualTypeOf<File>();
    }
  });

  test("awaiting it gives the first page; withResponse adds the Response", async () => {
    expectTypeOf(promise).resolves.toEqualTypeOf<Page<File, ListResult>>();
    const page = await promise;
    expectTypeOf(page.items).toEqualTypeOf<File[]>();
    expectTypeOf(page.result).toEqualTypeOf<ListResult>();
    expectTypeOf(page.hasNextPage()).toEqualTypeOf<boolean>();
    expectTypeOf(page.getNextPage()).resolves.toEqualTypeOf<Page<File, ListResult>>();
    expectTypeOf(promise.withResponse()).resolves.toEqualTypeOf<WithResponse<Page<File, ListResult>>>();
    for await (const next of page.iterPages()) expectTypeOf(next).toEqualTypeOf<Page<File, ListResult>>();
    for await (const file of page) expectTypeOf(file).toEqualTypeOf<File>();
  });

  test("CoreClient.page returns the PagePromise of the item and result types it is given", () => {
    expectTypeOf(core.page<File, ListResult>(meta, { limit: 10 }, { signal: AbortSignal.timeout(1) })).toEqualTypeOf<
      PagePromise<File, ListResult>
    >();
    // @ts-expect-error the items are Files, not strings
    const wrong: PagePromise<string, ListResult> = core.page<File, ListResult>(meta, {});
    void wrong;
  });
});
