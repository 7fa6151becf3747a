import {
  apiPromise,
  bearerAuth,
  type ClientOptions,
  type CoreClient,
  createCoreClient,
  InvalidParamsError,
  type RequestOptions,
} from "@org/client-core";
import type { CogniteToken } from "./auth.js";
import { retrieveInChunks } from "./batch.js";
import { mapCogniteError } from "./errors.js";
import { createResources, operationMeta, type Resources } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";
import { checkIdentifier, type FileIdentifier } from "./validate.js";
import { VERSION } from "./version.js";

type FileMetadata = components["schemas"]["FileMetadata"];

interface CogniteCommonOptions extends Omit<ClientOptions, "baseUrl"> {
  /** Access token, or an async provider of one (OIDC). Fetched before the first request, renewed once on 401. */
  token: CogniteToken;
  /** Most by-ids requests in flight at once in `files.retrieveMultiple`. Default 4. */
  maxConcurrency?: number;
}

/**
 * Options of {@link createCogniteClient}: a `project` on a `cluster`, or a whole `baseUrl`.
 */
export type CogniteClientOptions = CogniteCommonOptions &
  (
    | {
        /** The CDF project. */
        project: string;
        /** The cluster, e.g. `westeurope-1`: `https://<cluster>.cognitedata.com`. Default `api`. */
        cluster?: string;
        baseUrl?: never;
      }
    | {
        /** The CDF project; substituted for `{project}` in `baseUrl`. */
        project?: string;
        cluster?: never;
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

/** The `files` resource: the generated methods, with `retrieveMultiple` batched. */
export interface CogniteFiles extends Omit<Resources["files"], "retrieveMultiple"> {
  /**
   * Retrieve the metadata of any number of files, in the order requested: chunks of 1000 items,
   * at most `maxConcurrency` requests in flight, 429s retried with backoff honouring `Retry-After`.
   * When a chunk finally fails, the thrown {@link CogniteApiError} has `succeeded` (files retrieved)
   * and `failed` (items not retrieved). No items: resolves to `[]` without a request.
   * @throws InvalidParamsError when an item is not a valid identifier (nothing is sent)
   */
  retrieveMultiple(params: RetrieveMultipleParams, options?: RequestOptions): Promise<FileMetadata[]>;
}

/** The Cognite Files client: every operation of the spec, with Cognite's validation and batching. */
export interface CogniteClient extends Omit<Resources, "files"> {
  files: CogniteFiles;
  /** The typed openapi-fetch client for anything else (no retries). */
  readonly raw: CoreClient<paths>["raw"];
}

/** Creates a Cognite Data Fusion Files client. */
export function createCogniteClient(options: CogniteClientOptions): CogniteClient {
  const { project, token, cluster = "api", baseUrl } = options ?? ({} as CogniteClientOptions);
  if (project !== undefined && (typeof project !== "string" || !/^[a-z0-9-]+$/i.test(project))) {
    throw new InvalidParamsError({ message: "Cognite: project must be a CDF project name (letters, digits, '-')" });
  }
  if (project === undefined && (baseUrl === undefined || baseUrl.includes("{project}"))) {
    throw new InvalidParamsError({ message: "Cognite: project is required" });
  }
  if (token === undefined || token === "") throw new InvalidParamsError({ message: "Cognite: token is required" });
  if (!/^[a-z0-9-]+$/i.test(cluster)) throw new InvalidParamsError({ message: `Cognite: invalid cluster ${cluster}` });
  const maxConcurrency = options.maxConcurrency ?? 4;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new InvalidParamsError({ message: "Cognite: maxConcurrency must be a positive integer" });
  }
  const apiBaseUrl =
    baseUrl !== undefined
      ? baseUrl.replace("{project}", project ?? "")
      : `https://${cluster}.cognitedata.com/api/v1/projects/${project}`;
  const auth = bearerAuth(token, { label: "Cognite", reuse: true });
  const core = createCoreClient<paths>(
    {
      packageName: "@org/cognite-files",
      packageVersion: VERSION,
      errorBrand: "cognite",
      defaultBaseUrl: "",
      requestIdHeaders: ["x-request-id"],
      authenticate: auth.authenticate,
      refreshOnUnauthorized: auth.refreshOnUnauthorized,
      mapError: mapCogniteError,
    },
    { ...options, baseUrl: apiBaseUrl },
  );
  const generated = createResources(core);

  return {
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
          return apiPromise<Awaited<ReturnType<Resources["files"]["completeMultipartUpload"]>>>(Promise.reject(error));
        }
        return generated.files.completeMultipartUpload(params, requestOptions);
      },
      async retrieveMultiple(params, requestOptions = {}) {
        if (!Array.isArray(params?.items)) {
          throw new InvalidParamsError({ message: "files.retrieveMultiple: items must be an array" });
        }
        for (const [i, item] of params.items.entries()) checkIdentifier(item, `files.retrieveMultiple: items[${i}]`);
        if (params.items.length === 0) return [];
        const ignoreUnknownIds = params.ignoreUnknownIds;
        return retrieveInChunks(
          params.items,
          (items, opts) =>
            core.call(
              operationMeta["files.retrieveMultiple"],
              ignoreUnknownIds === undefined ? { items } : { items, ignoreUnknownIds },
              opts,
            ),
          maxConcurrency,
          requestOptions,
        );
      },
    },
    raw: core.raw,
  };
}

/** Turns a Cognite epoch-milliseconds timestamp into a `Date` (tree-shaken away when unused). */
export function toDate(epochMs: number): Date {
  return new Date(epochMs);
}
