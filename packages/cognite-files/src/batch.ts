/**
 * Any number of items in chunks: chunks of at most `chunkSize` items, at most `concurrency`
 * requests in flight, results in request order. When a chunk finally fails, the rest is aborted
 * and the error keeps the results of the chunks that succeeded and names the items that did not.
 * Used by `files.retrieveMultiple`, `files.update`, `files.delete` and `files.downloadLink`
 * (chunks of the spec's `maxItems`), and by `files.upload` for the parts of a multipart upload
 * (chunks of one part).
 */
import { AbortError, type ApiError, type RequestOptions, unwatchAbort, watchAbort } from "@org/client-core";
import { operationMeta } from "./generated/operations.js";

/** Largest number of items Cognite accepts in one by-ids request: the spec's `maxItems` (1000). */
export const CHUNK_SIZE: number = operationMeta["files.retrieveMultiple"].constraints.items.maxItems;

/** Sends one chunk; resolves to that chunk's results, in order. */
export type ChunkSender<Item, Result> = (items: Item[], options: RequestOptions) => Promise<readonly Result[]>;

/** What a chunked call failed with, and how far it got. */
export type ChunkFailureReport<Item, Result> = (error: ApiError, succeeded: Result[], failed: Item[]) => void;

/** By default the error carries `succeeded` (results of the chunks that succeeded) and `failed` (the other items). */
const attachProgress = <Item, Result>(error: ApiError, succeeded: Result[], failed: Item[]) => {
  Object.assign(error, { succeeded, failed });
};

export async function inChunks<Item, Result>(
  items: readonly Item[],
  chunkSize: number,
  sendChunk: ChunkSender<Item, Result>,
  concurrency: number,
  options: RequestOptions,
  report: ChunkFailureReport<Item, Result> = attachProgress,
): Promise<Result[]> {
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) chunks.push(items.slice(i, i + chunkSize));
  const results: (readonly Result[] | undefined)[] = new Array(chunks.length);
  let next = 0;
  let failure: ApiError | undefined;
  // One failure for good ends the whole call: the chunks still in flight (and their pending
  // retries) are aborted, and no further chunk is sent. The caller's own signal still applies.
  const stop = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => stop.abort(outer?.reason);
  if (outer?.aborted) stop.abort(outer.reason);
  else watchAbort(outer, onOuterAbort);
  const chunkOptions: RequestOptions = { ...options, signal: stop.signal };

  const worker = async () => {
    while (failure === undefined && !stop.signal.aborted && next < chunks.length) {
      const index = next++;
      try {
        results[index] = await sendChunk(chunks[index] as Item[], chunkOptions);
      } catch (error) {
        if (failure === undefined) {
          failure = error as ApiError;
          stop.abort(error);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  } finally {
    unwatchAbort(outer, onOuterAbort);
  }

  if (failure === undefined && results.some((r) => r === undefined)) {
    // the caller aborted between two chunks: none was in flight to fail with the abort
    failure = new AbortError({ message: "request aborted by the caller", cause: outer?.reason, provider: "cognite" });
  }
  if (failure !== undefined) {
    const succeeded: Result[] = [];
    const failed: Item[] = [];
    chunks.forEach((chunk, index) => {
      const done = results[index];
      if (done) succeeded.push(...done);
      else failed.push(...chunk);
    });
    report(failure, succeeded, failed);
    throw failure;
  }
  return results.flatMap((r) => r ?? []);
}
