import {
  apiPromise,
  bearerAuth,
  type ClientOptions,
  type CoreClient,
  createCoreClient,
  InvalidParamsError,
  mergeOptions,
  type OperationMeta,
  type RequestOptions,
  readEnv,
  type Uploadable,
} from "@org/client-core";
import type { CogniteToken } from "./auth.js";
import { CHUNK_SIZE, inChunks } from "./batch.js";
import { mapCogniteError } from "./errors.js";
import { createResources, operationMeta, type Resources } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";
import type {
  FilesDeleteParams,
  FilesDeleteResult,
  FilesDownloadLinkParams,
  FilesDownloadLinkResult,
  FilesUpdateParams,
  FilesUpdateResult,
} from "./generated/types.js";
import { type DownloadOptions, download, type UploadMetadata, type UploadOptions, upload } from "./transfer.js";
import { checkIdentifier, checkPatch, type FileIdentifier } from "./validate.js";
import { VERSION } from "./version.js";

type FileMetadata = components["schemas"]["FileMetadata"];

interface CogniteCommonOptions extends Omit<ClientOptions, "baseUrl"> {
  /**
   * Access token, or an async provider of one (OIDC). Fetched before the first request, renewed once
   * on 401. Default: the `COGNITE_API_TOKEN` env variable; one of the two is required.
   */
  token?: CogniteToken | undefined;
  /**
   * Most requests in flight at once in a chunked call (`files.retrieveMultiple`, `files.update`,
   * `files.delete`, `files.downloadLink`) and part uploads in flight in a multipart `files.upload`. Default 4.
   */
  maxConcurrency?: number | undefined;
}

/**
 * Options of {@link createCogniteClient}: a `project` on a `cluster`, or a whole `baseUrl`. Each
 * falls back on its env variable (`COGNITE_PROJECT`, `COGNITE_CLUSTER`, `COGNITE_BASE_URL`);
 * an option given wins over every env variable. `undefined` is the same as absent.
 */
export type CogniteClientOptions = CogniteCommonOptions &
  (
    | {
        /** The CDF project. Default: the `COGNITE_PROJECT` env variable; one of the two is required. */
        project?: string | undefined;
        /**
         * The cluster, e.g. `westeurope-1`: `https://<cluster>.cognitedata.com`. Default: the
         * `COGNITE_BASE_URL` env variable as `baseUrl`, else the `COGNITE_CLUSTER` env variable, else `api`.
         */
        cluster?: string | undefined;
        baseUrl?: undefined;
      }
    | {
        /** The CDF project; substituted for `{project}` in `baseUrl`. Default: the `COGNITE_PROJECT` env variable. */
        project?: string | undefined;
        cluster?: undefined;
        /**
         * The full API base URL, `https://<cluster>.cognitedata.com/api/v1/projects/<project>`, or a proxy
         * or mock server standing in for it. `{project}` in it is replaced by `project`.
         */
        baseUrl: string;
      }
  );

/** Parameters of `files.retrieveMultiple`: any number of items. */
export interface RetrieveMultipleParams {
  /** The files to retrieve; any number, sent in chunks of 1000. */
  items: readonly FileIdentifier[];
  /** Ignore IDs and external IDs that are not found rather than fail the request. */
  ignoreUnknownIds?: boolean;
}

/** `P` with any number of `items` (sent in chunks of the spec's per-request maximum). */
export type Chunked<P extends { items: readonly unknown[] }> = Omit<P, "items"> & {
  items: readonly P["items"][number][];
};
/** Parameters of `files.update`: any number of items, sent in chunks of the spec's `maxItems` (1000). */
export type BulkUpdateParams = Chunked<FilesUpdateParams>;
/** Parameters of `files.delete`: any number of items, sent in chunks of the spec's `maxItems` (1000). */
export type BulkDeleteParams = Chunked<Omit<FilesDeleteParams, "ignoreUnknownIds">> & {
  /** Ignore IDs and external IDs that are not found rather than fail the request. Default `false`. */
  ignoreUnknownIds?: boolean;
};
/** Parameters of `files.downloadLink`: any number of items, sent in chunks of the spec's `maxItems` (100). */
export type BulkDownloadLinkParams = Chunked<FilesDownloadLinkParams>;

/** The `files` resource: the generated methods, with the bulk ones chunked, and uploads and downloads. */
export interface CogniteFiles
  extends Omit<Resources["files"], "retrieveMultiple" | "update" | "delete" | "downloadLink"> {
  /**
   * Retrieve the metadata of any number of files, in the order requested: chunks of 1000 items,
   * at most `maxConcurrency` requests in flight, 429s retried with backoff honouring `Retry-After`.
   * When a chunk finally fails, the thrown {@link CogniteApiError} has `succeeded` (files retrieved)
   * and `failed` (items not retrieved). No items: resolves to `[]` without a request.
   * @throws InvalidParamsError when an item is not a valid identifier (nothing is sent)
   */
  retrieveMultiple(params: RetrieveMultipleParams, options?: RequestOptions): Promise<FileMetadata[]>;
  /**
   * Update any number of files (`POST /files/update`): chunks of the spec's `maxItems` (1000), at most
   * `maxConcurrency` in flight, the updated files in request order. Not idempotent: a failed chunk is
   * not retried (but after a 401 with a renewed token). When a chunk fails, the others still in flight
   * are aborted and none is sent any more; the thrown {@link CogniteApiError} has `succeeded` (files
   * updated) and `failed` (items not confirmed: failed, aborted or not sent). No items: `{items: []}`.
   * @throws InvalidParamsError when an item has not exactly one identifier, or no `update` (nothing is sent)
   */
  update(params: BulkUpdateParams, options?: RequestOptions): Promise<FilesUpdateResult>;
  /**
   * Delete any number of files (`POST /files/delete`): chunks of 1000 (the spec's `maxItems`), at most
   * `maxConcurrency` in flight; not idempotent, so not retried. On a failure, `succeeded` holds the
   * items deleted and `failed` the items not confirmed. Resolves to `{}`.
   * @throws InvalidParamsError when an item is not a valid identifier (nothing is sent)
   */
  delete(params: BulkDeleteParams, options?: RequestOptions): Promise<FilesDeleteResult>;
  /**
   * Download links of any number of files (`POST /files/downloadlink`): chunks of 100 (the spec's
   * `maxItems`), at most `maxConcurrency` in flight, retried like any read, links in request order.
   * On a failure, `succeeded` holds the links obtained and `failed` the items without one.
   * @throws InvalidParamsError when an item is not a valid identifier (nothing is sent)
   */
  downloadLink(params: BulkDownloadLinkParams, options?: RequestOptions): Promise<FilesDownloadLinkResult>;
  /**
   * Create a file and upload its content. `files.create(metadata)`, then a `PUT` of the bytes to the
   * returned `uploadUrl` — another host: the CDF token is not sent — with the file's content type
   * (`metadata.mimeType`, else the `Blob`'s or `toFile`'s type, which is then also set as the file's
   * `mimeType`; else `application/octet-stream`).
   *
   * Content of a known size (a `Blob` or `File` — `await fs.openAsBlob(path)` for a file on disk,
   * never loaded whole — or bytes) above `multipartThreshold` (100 MiB) goes in parts:
   * `files.initMultipartUpload`, a `PUT` of each part (`partSize`, 50 MiB) with at most
   * `maxConcurrency` in flight, then `files.completeMultipartUpload`. A part that fails is retried
   * alone (the runtime's retries of that `PUT`); when one fails for good the others are aborted, and
   * the thrown {@link CogniteApiError} has `upload` ({@link UploadProgress}: the file created, the
   * parts sent and not sent). A stream (a web `ReadableStream`, a Node `Readable`, `toFile(stream)`)
   * has no known size: one `PUT`, streamed as read, and not retried once sent.
   *
   * `timeoutMs`, `maxRetries` and `signal` apply to each request (give a large upload a timeout
   * that fits one part, or the whole file for a single `PUT`). Resolves to the file's metadata as
   * created (`uploaded` turns `true` once CDF has processed the content).
   */
  upload(metadata: UploadMetadata, content: Uploadable, options?: UploadOptions): Promise<FileMetadata>;
  /**
   * Download a file's content: `files.downloadLink` for it, then a `GET` of the link without the CDF
   * token. Resolves, once the response headers arrived, to the content as a web `ReadableStream` of
   * bytes, read from the network only as fast as it is read (a file of any size takes no more
   * memory than a few chunks). Failures before the headers (a 5xx, a reset, a timeout) are retried
   * like any read, within `timeoutMs` per attempt; once the stream is handed over, each read waits
   * at most `timeoutMs` for the next bytes, `signal` still aborts it, and a failure errors the
   * stream with a typed `CogniteApiError` (a `TimeoutError`, a `ConnectionError`…). Read it to its
   * end or `cancel()` it: that releases the connection.
   *
   * @example Save to a file (Node)
   * ```ts
   * import { createWriteStream } from "node:fs";
   * import { Readable } from "node:stream";
   * import { pipeline } from "node:stream/promises";
   * await pipeline(Readable.fromWeb(await cdf.files.download({ id: 1 })), createWriteStream("pump.pdf"));
   * ```
   * @example Whole, in memory
   * ```ts
   * const bytes = await new Response(await cdf.files.download({ id: 1 })).arrayBuffer();
   * ```
   */
  download(ref: FileIdentifier, options?: DownloadOptions): Promise<ReadableStream<Uint8Array>>;
}

/** The Cognite Files client: every operation of the spec, with Cognite's validation and batching. */
export interface CogniteClient extends Omit<Resources, "files"> {
  files: CogniteFiles;
  /** The typed openapi-fetch client for anything else (no retries). */
  readonly raw: CoreClient<paths>["raw"];
  /**
   * A client with these options on top of this one's (`undefined` leaves an option as it is; a
   * `cluster` replaces a `baseUrl` and the other way round), sharing its transport (connections),
   * its record of secrets and — unless `token` is given — its token (fetched once, renewed once).
   * @example const eu = cdf.withOptions({ cluster: "westeurope-1" });
   */
  withOptions(options: CogniteClientOptions): CogniteClient;
}

/** What a client made by `withOptions` takes over from its parent. */
interface Parent {
  core: CoreClient<paths>;
  auth: ReturnType<typeof bearerAuth>;
}

/** A branded `InvalidParamsError` about the options (no operation yet). */
const invalidOption = (message: string) =>
  new InvalidParamsError({ message: `Cognite: ${message}`, provider: "cognite" });

/**
 * Creates a Cognite Data Fusion Files client. Every option may come from the environment instead:
 * `COGNITE_API_TOKEN`, `COGNITE_PROJECT`, `COGNITE_CLUSTER`, `COGNITE_BASE_URL`, `COGNITE_LOG`.
 */
export function createCogniteClient(options: CogniteClientOptions = {}): CogniteClient {
  return build(options ?? {}, undefined);
}

function build(options: CogniteClientOptions, parent: Parent | undefined): CogniteClient {
  const project = options.project ?? readEnv("COGNITE_PROJECT");
  const token = options.token ?? (parent === undefined ? readEnv("COGNITE_API_TOKEN") : undefined);
  // an explicit cluster wins over the env's base URL; an explicit base URL over everything
  const baseUrl = options.baseUrl ?? (options.cluster === undefined ? readEnv("COGNITE_BASE_URL") : undefined);
  const cluster = options.cluster ?? readEnv("COGNITE_CLUSTER") ?? "api";
  if (project !== undefined && (typeof project !== "string" || !/^[a-z0-9-]+$/i.test(project))) {
    throw invalidOption("project must be a CDF project name (letters, digits, '-')");
  }
  if (project === undefined && (baseUrl === undefined || baseUrl.includes("{project}"))) {
    throw invalidOption("project is required; pass { project } or set COGNITE_PROJECT");
  }
  if (parent === undefined && (token === undefined || token === "")) {
    throw invalidOption("token is required; pass { token } or set COGNITE_API_TOKEN");
  }
  if (token === "") throw invalidOption("token is required");
  if (!/^[a-z0-9-]+$/i.test(cluster)) throw invalidOption(`invalid cluster ${cluster}`);
  const maxConcurrency = options.maxConcurrency ?? 4;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw invalidOption("maxConcurrency must be a positive integer");
  }
  const apiBaseUrl =
    baseUrl !== undefined
      ? baseUrl.replace("{project}", project ?? "")
      : `https://${cluster}.cognitedata.com/api/v1/projects/${project}`;
  // a derived client without a token of its own shares the parent's: fetched once, renewed once
  const auth =
    token === undefined && parent !== undefined
      ? parent.auth
      : bearerAuth(token ?? "", { label: "Cognite", reuse: true });
  const core = createCoreClient<paths>(
    {
      packageName: "@org/cognite-files",
      packageVersion: VERSION,
      errorBrand: "cognite",
      envPrefix: "COGNITE",
      defaultBaseUrl: "",
      requestIdHeaders: ["x-request-id"],
      authenticate: auth.authenticate,
      refreshOnUnauthorized: auth.refreshOnUnauthorized,
      mapError: mapCogniteError,
    },
    { ...options, baseUrl: apiBaseUrl },
    parent?.core,
  );
  const generated = createResources(core);
  const transfer = { core, files: generated.files, maxConcurrency };

  /**
   * A bulk operation in chunks of its spec's `maxItems` (from the generated constraints), `rest` sent
   * with every chunk; `resultsOf` picks a chunk's results (for `delete`, the chunk's own items).
   */
  function chunked<Item, Result, Body>(
    id: "files.update" | "files.delete" | "files.downloadLink",
    items: readonly Item[],
    rest: object,
    resultsOf: (body: Body, chunk: Item[]) => readonly Result[],
    requestOptions: RequestOptions,
  ): Promise<Result[]> {
    if (items.length === 0) return Promise.resolve([]);
    const operation = operationMeta[id];
    return inChunks(
      items,
      operation.constraints.items.maxItems,
      async (chunk, opts) => resultsOf(await core.call<Body>(operation, { ...rest, items: chunk }, opts), chunk),
      maxConcurrency,
      requestOptions,
    );
  }

  const client: CogniteClient = {
    ...generated,
    files: {
      ...generated.files,
      // files.retrieve is the generated method: the runtime checks the id against its generated constraint
      completeMultipartUpload(params, requestOptions) {
        try {
          // the spec's oneOf (id | externalId | instanceId) with uploadId is one object of four optional
          // properties to the generator: exactly one identifier is checked here
          const { id, externalId, instanceId } = (params ?? {}) as Record<string, unknown>;
          checkIdentifier({ id, externalId, instanceId }, "files.completeMultipartUpload");
        } catch (error) {
          // reported through the promise, like every other failure of the call
          return apiPromise<Awaited<ReturnType<Resources["files"]["completeMultipartUpload"]>>>(
            Promise.reject(core.errorAbout(error, operationMeta["files.completeMultipartUpload"])),
          );
        }
        return generated.files.completeMultipartUpload(params, requestOptions);
      },
      update(params, requestOptions = {}) {
        const items = checkItems(params, "files.update", (item, where) => {
          const { update, ...identifier } = (item ?? {}) as { update?: unknown; instanceId?: unknown };
          checkIdentifier(identifier, where);
          checkPatch(update, identifier.instanceId !== undefined, where);
        });
        const { items: _items, ...rest } = params;
        return chunked("files.update", items, rest, (r: FilesUpdateResult) => r.items, requestOptions).then(
          (updated) => ({ items: updated }),
        );
      },
      delete(params, requestOptions = {}) {
        const items = checkItems(params, "files.delete", checkIdentifier);
        const { items: _items, ...rest } = params;
        return chunked("files.delete", items, rest, (_r, chunk) => chunk, requestOptions).then(() => ({}));
      },
      downloadLink(params, requestOptions = {}) {
        const items = checkItems(params, "files.downloadLink", checkIdentifier);
        const { items: _items, ...rest } = params;
        return chunked("files.downloadLink", items, rest, (r: FilesDownloadLinkResult) => r.items, requestOptions).then(
          (links) => ({ items: links }),
        );
      },
      upload: (metadata, content, uploadOptions) => upload(transfer, metadata, content, uploadOptions),
      download: (ref, downloadOptions) => download(transfer, ref, downloadOptions),
      async retrieveMultiple(params, requestOptions = {}) {
        if (!Array.isArray(params?.items)) {
          throw new InvalidParamsError({ message: "files.retrieveMultiple: items must be an array" });
        }
        for (const [i, item] of params.items.entries()) checkIdentifier(item, `files.retrieveMultiple: items[${i}]`);
        if (params.items.length === 0) return [];
        const ignoreUnknownIds = params.ignoreUnknownIds;
        return inChunks(
          params.items,
          CHUNK_SIZE,
          async (items, opts) =>
            (
              await core.call<components["schemas"]["FileMetadataList"]>(
                operationMeta["files.retrieveMultiple"],
                ignoreUnknownIds === undefined ? { items } : { items, ignoreUnknownIds },
                opts,
              )
            ).items,
          maxConcurrency,
          requestOptions,
        );
      },
    },
    raw: core.raw,
    withOptions: (overrides) => build(merge(options, overrides), { core, auth }),
  };
  attributeErrors(client.files, core);
  return client;
}

/**
 * The hand-written `files` methods (chunked, uploads, downloads) throw and reject with errors of
 * this client — branded `CogniteApiError`s, with the operation's prefix when there is one — like
 * the generated methods, whose errors the runtime attributes itself.
 */
function attributeErrors(files: CogniteFiles, core: CoreClient<paths>): void {
  const methods = files as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["retrieveMultiple", "update", "delete", "downloadLink", "upload", "download"]) {
    const method = methods[name];
    if (typeof method !== "function") continue;
    const operation = (operationMeta as Record<string, OperationMeta | undefined>)[`files.${name}`];
    const fail = (error: unknown) => core.errorAbout(error, operation);
    methods[name] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method(...args);
      } catch (error) {
        throw fail(error);
      }
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw fail(error);
          })
        : result;
    };
  }
}

/** The parent's options with the set ones of `overrides`; a `cluster` replaces a `baseUrl` and the other way round. */
function merge(options: CogniteClientOptions, overrides: CogniteClientOptions): CogniteClientOptions {
  const merged = mergeOptions(options, overrides) as Record<string, unknown>;
  if (overrides?.cluster !== undefined && overrides.baseUrl === undefined) delete merged.baseUrl;
  if (overrides?.baseUrl !== undefined && overrides.cluster === undefined) delete merged.cluster;
  if (overrides?.token === undefined) delete merged.token; // the parent's token state is shared instead
  return merged as CogniteClientOptions;
}

/** The `items` of a bulk call, each checked by `check` before anything is sent. */
function checkItems<Item>(
  params: { items: readonly Item[] } | undefined,
  where: string,
  check: (item: unknown, where: string) => void,
): readonly Item[] {
  if (!Array.isArray(params?.items)) throw new InvalidParamsError({ message: `${where}: items must be an array` });
  for (const [i, item] of params.items.entries()) check(item, `${where}: items[${i}]`);
  return params.items;
}

/** Turns a Cognite epoch-milliseconds timestamp into a `Date` (tree-shaken away when unused). */
export function toDate(epochMs: number): Date {
  return new Date(epochMs);
}
