/**
 * Retrieval of any number of files: chunks of at most 1000 items, at most `concurrency`
 * requests in flight, results in request order. When a chunk finally fails, the error keeps
 * the files already retrieved and names the items that were not.
 */
import type { APIPromise, ApiError, RequestOptions } from "@org/client-core";
import type { components } from "./generated/schema.js";
import type { FileIdentifier } from "./validate.js";

type FileMetadata = components["schemas"]["FileMetadata"];
type FetchChunk = (
  items: FileIdentifier[],
  options: RequestOptions,
) => APIPromise<components["schemas"]["FileMetadataList"]>;

/** Largest number of items Cognite accepts in one by-ids request. */
export const CHUNK_SIZE = 1000;

export async function retrieveInChunks(
  items: readonly FileIdentifier[],
  fetchChunk: FetchChunk,
  concurrency: number,
  options: RequestOptions,
): Promise<FileMetadata[]> {
  const chunks: FileIdentifier[][] = [];
  for (let i = 0; i < items.length; i += CHUNK_SIZE) chunks.push(items.slice(i, i + CHUNK_SIZE));
  const results: (FileMetadata[] | undefined)[] = new Array(chunks.length);
  let next = 0;
  let failure: ApiError | undefined;
  // One failure for good ends the whole call: the chunks still in flight (and their pending
  // retries) are aborted, and no further chunk is sent. The caller's own signal still applies.
  const stop = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => stop.abort(outer?.reason);
  if (outer?.aborted) stop.abort(outer.reason);
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  const chunkOptions: RequestOptions = { ...options, signal: stop.signal };

  const worker = async () => {
    while (failure === undefined && !stop.signal.aborted && next < chunks.length) {
      const index = next++;
      try {
        results[index] = (await fetchChunk(chunks[index] as FileIdentifier[], chunkOptions)).items;
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
    outer?.removeEventListener("abort", onOuterAbort);
  }

  if (failure !== undefined) {
    const succeeded: FileMetadata[] = [];
    const failed: FileIdentifier[] = [];
    chunks.forEach((chunk, index) => {
      const done = results[index];
      if (done) succeeded.push(...done);
      else failed.push(...chunk);
    });
    Object.assign(failure, { succeeded, failed });
    throw failure;
  }
  return results.flatMap((r) => r ?? []);
}
