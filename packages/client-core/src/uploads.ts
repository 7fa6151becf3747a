/**
 * File values for multipart uploads. (Provisional: the types are the contract; the multipart
 * work fills in `toFile` and the encoder.)
 */

/** Anything a file field accepts: a `Blob`/`File`, bytes, a web `ReadableStream` or any async iterable of bytes (a Node `Readable`). */
export type Uploadable =
  | Blob
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;
