/**
 * Contract tests derived from the specs: one case per (operation × declared response) of every
 * generated package, run against the package's Prism mock. The harness knows no provider: what is
 * provider-specific (how to create the client, how results are unwrapped, the error class, where
 * the error code lives) comes from the `openapi.client` field of the package's package.json.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  binaryResponseExample,
  type ClientContract,
  exampleParams,
  type GeneratedPackage,
  generatedPackages as listGeneratedPackages,
  listOperations,
  loadSpec,
  responseExample,
  type SpecOperation,
} from "@org/codegen";
import { expect } from "vitest";

export type { ClientContract, GeneratedPackage };

/** One contract test: call `operationId` with spec-derived params and get the `status` response. */
export interface ContractCase {
  /** Test title, e.g. `@org/coze-files files.retrieve → 200`. */
  title: string;
  pkg: GeneratedPackage;
  operationId: string;
  /** `GET /v1/files/retrieve`. */
  route: string;
  /** The declared response selected with `Prefer: code=<status>`. */
  status: number;
  /** `success` for 2xx, `error` otherwise. */
  kind: "success" | "error";
  /** Params built from the spec's examples (or values satisfying the schemas). */
  params: Record<string, unknown>;
  /** The response's JSON example, if it declares one. */
  example: unknown;
  /** For a binary response (no JSON content): its media type and example (the body Prism sends). */
  binary?: { type: string; example: unknown } | undefined;
}

/** A negative contract test: an operation that requires credentials, called without them. */
export interface UnauthenticatedCase {
  title: string;
  pkg: GeneratedPackage;
  operationId: string;
  params: Record<string, unknown>;
}

/**
 * The params of a call built from the spec's examples; a multipart file field (which the spec
 * types as a binary string) gets a small real file, so Prism validates a real upload.
 */
function callParams(spec: Parameters<typeof exampleParams>[0], op: SpecOperation): Record<string, unknown> {
  const params = exampleParams(spec, op);
  for (const field of op.fileFields) {
    params[field] = new File([`contract test upload for ${op.id}\n`], `${field}.txt`, { type: "text/plain" });
  }
  return params;
}

/** The packages generated from specs. */
export function generatedPackages(): GeneratedPackage[] {
  return listGeneratedPackages();
}

/**
 * The contract cases of one spec: one per (operation × declared response).
 * @param specFile path of the OpenAPI document
 * @param pkg the package generated from it
 */
export function contractCases(specFile: string, pkg: GeneratedPackage): ContractCase[] {
  checkClientContract(pkg);
  const spec = loadSpec(specFile);
  return listOperations(spec).flatMap((op) => {
    const params = callParams(spec, op);
    return op.responses.map(({ status, response }) => {
      if (!/^[1-5]\d\d$/.test(status)) {
        throw new Error(
          `${pkg.name} ${op.id}: response "${status}" cannot be selected with Prefer: code=…; declare explicit status codes`,
        );
      }
      const code = Number(status);
      return {
        title: `${pkg.name} ${op.id} → ${status}`,
        pkg,
        operationId: op.id,
        route: `${op.method} ${op.path}`,
        status: code,
        kind: code >= 200 && code < 300 ? "success" : "error",
        params,
        example: responseExample(spec, response),
        binary: binaryResponseExample(spec, response as Parameters<typeof binaryResponseExample>[1]),
      } satisfies ContractCase;
    });
  });
}

/** Fails early, with the fix, when a package.json does not say how to test its client. */
function checkClientContract(pkg: GeneratedPackage): void {
  const client = pkg.client as Partial<ClientContract> | undefined;
  for (const field of ["create", "errorClass"] as const) {
    if (typeof client?.[field] !== "string") {
      throw new Error(`${pkg.name}: package.json "openapi.client.${field}" must name an export of the package`);
    }
  }
}

/** Every contract case of every generated package. */
export function allContractCases(packages: GeneratedPackage[] = generatedPackages()): ContractCase[] {
  return packages.flatMap((pkg) => contractCases(pkg.spec, pkg));
}

/** One negative case per operation that declares security, in every generated package. */
export function unauthenticatedCases(packages: GeneratedPackage[] = generatedPackages()): UnauthenticatedCase[] {
  return packages.flatMap((pkg) => {
    const spec = loadSpec(pkg.spec);
    return listOperations(spec)
      .filter((op) => op.security.length > 0)
      .map((op) => ({
        title: `${pkg.name} ${op.id} without credentials → 401`,
        pkg,
        operationId: op.id,
        params: callParams(spec, op),
      }));
  });
}

/** Whether a method's value is a page of a paginated operation (`Page` from the runtime). */
function isPage(value: unknown): value is { result: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { iterPages?: unknown }).iterPages === "function" &&
    "result" in value
  );
}

/** The value at a dotted path (`""` or `undefined`: the value itself). */
export function at(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

/** What one HTTP exchange with Prism looked like (headers of interest only). */
interface Exchange {
  status: number;
  violations: string | null;
}

type Module = Record<string, unknown>;
type Method = (params: unknown, options?: unknown) => PromiseLike<unknown>;

const modules = new Map<string, Promise<Module>>();
/** Imports a package from its source (`src/index.ts`), so tests run without a build. */
export function importPackage(pkg: GeneratedPackage): Promise<Module> {
  let mod = modules.get(pkg.dir);
  if (!mod) {
    mod = import(pathToFileURL(join(pkg.dir, "src", "index.ts")).href) as Promise<Module>;
    modules.set(pkg.dir, mod);
  }
  return mod;
}

/** A `fetch` that records each response's status and Prism's `sl-violations` header, optionally rewriting requests. */
function recordingFetch(exchanges: Exchange[], rewrite?: (request: Request) => Request): typeof fetch {
  return async (input, init) => {
    let request = new Request(input, init);
    if (rewrite) request = rewrite(request);
    const response = await fetch(request);
    exchanges.push({ status: response.status, violations: response.headers.get("sl-violations") });
    return response;
  };
}

async function clientFor(pkg: GeneratedPackage, baseUrl: string, fetchImpl?: typeof fetch) {
  const mod = await importPackage(pkg);
  const create = mod[pkg.client.create];
  if (typeof create !== "function") throw new Error(`${pkg.name} exports no function ${pkg.client.create}`);
  const client = (create as (options: object) => unknown)({
    ...pkg.client.mockOptions,
    baseUrl,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    maxRetries: 0,
  });
  return { mod, client };
}

/** The resource method an operationId names: `files.retrieve` → `client.files.retrieve`. */
function methodOf(client: unknown, operationId: string): Method {
  const keys = operationId.split(".");
  const name = keys.pop() as string;
  const owner = keys.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], client) as
    | Record<string, unknown>
    | undefined;
  const method = owner?.[name];
  if (typeof method !== "function") throw new Error(`client has no method ${operationId}`);
  return (params, options) => (method as Method).call(owner, params, options);
}

/** The runtime's error class for an HTTP status (exported by every provider package). */
function statusErrorClass(status: number): string {
  const names: Record<number, string> = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
  };
  return names[status] ?? (status >= 500 ? "InternalServerError" : "ApiError");
}

function exported(mod: Module, name: string): new (...args: never[]) => unknown {
  const value = mod[name];
  if (typeof value !== "function") throw new Error(`the package exports no class ${name}`);
  return value as new (
    ...args: never[]
  ) => unknown;
}

/**
 * The error `call` rejects with. A call that resolves fails the case with a message saying so
 * (that failure is thrown past the rejection handler, never returned as if it were the API's error).
 */
function rejection(call: PromiseLike<unknown>, title: string): Promise<unknown> {
  return Promise.resolve(call).then(
    (value) => {
      throw new Error(`${title}: expected the call to be rejected, but it resolved with ${preview(value)}`);
    },
    (error: unknown) => error,
  );
}

/** A short JSON rendering of a value for a failure message. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Runs one contract case against the package's Prism mock at `baseUrl`: Prism accepted the request
 * (no validator violations), and the result equals the example after unwrapping, or the rejection
 * is the provider's typed error with the declared status and the example's code.
 */
export async function runContractCase(c: ContractCase, baseUrl: string): Promise<void> {
  // the client's default transport (the vitest project's: fetch, or the Node build's node:http);
  // Prism reports what it found wrong with the request in its `sl-violations` response header
  const { mod, client } = await clientFor(c.pkg, baseUrl);
  const call = methodOf(client, c.operationId)(c.params, { headers: { Prefer: `code=${c.status}` }, maxRetries: 0 });
  const config = c.pkg.client;
  if (c.kind === "success") {
    const promise = call as PromiseLike<unknown> & {
      withResponse?: () => Promise<{ data: unknown; response: Response }>;
    };
    let data: unknown;
    if (typeof promise.withResponse === "function") {
      const result = await promise.withResponse();
      expect(result.response.headers.get("sl-violations"), `Prism found violations in ${c.route}`).toBeNull();
      expect(result.response.status).toBe(c.status);
      data = result.data;
    } else {
      // a hand-written method on top of generated ones (e.g. batched) has no single response:
      // its exchanges are recorded through a fetch
      const exchanges: Exchange[] = [];
      const recorded = await clientFor(c.pkg, baseUrl, recordingFetch(exchanges));
      data = await methodOf(recorded.client, c.operationId)(c.params, { headers: { Prefer: `code=${c.status}` } });
      expect(exchanges.length, "requests sent").toBeGreaterThan(0);
      for (const exchange of exchanges) {
        expect(exchange.violations, `Prism found violations in ${c.route}`).toBeNull();
        expect(exchange.status).toBe(c.status);
      }
      await call;
    }
    if (c.binary) {
      // a binary response resolves to a Blob of the declared type holding the example's bytes
      expect(data, `${c.route} → ${c.status}: a binary response resolves to a Blob`).toBeInstanceOf(Blob);
      const blob = data as Blob;
      expect(blob.type).toBe(c.binary.type);
      if (typeof c.binary.example === "string") expect(await blob.text()).toBe(c.binary.example);
      else expect(blob.size).toBeGreaterThan(0);
      return;
    }
    // a paginated method resolves to its first page: the page's result is what the example shows
    if (isPage(data)) data = data.result;
    const resultPath = config.operations?.[c.operationId]?.resultPath ?? config.resultPath;
    expect(c.example, `${c.route} → ${c.status} declares no JSON example`).toBeDefined();
    expect(data).toStrictEqual(at(c.example, resultPath));
    return;
  }
  const error = (await rejection(call, c.title)) as Record<string, unknown>;
  const headers = (error.headers ?? {}) as Record<string, string>;
  expect(headers["sl-violations"], `Prism found violations in ${c.route}`).toBeUndefined();
  expect(error).toBeInstanceOf(exported(mod, config.errorClass));
  expect(error).toBeInstanceOf(exported(mod, statusErrorClass(c.status)));
  expect(error.status).toBe(c.status);
  const code = at(c.example, config.errorCodePath);
  if (config.errorCodePath && code !== undefined && code !== null) expect(error.code).toBe(code);
  for (const [property, path] of Object.entries(config.errorFields ?? {})) {
    const expected = at(c.example, path);
    if (expected !== undefined) expect(error[property], `error.${property}`).toStrictEqual(expected);
  }
}

/**
 * Runs a negative case: the client's request with its `Authorization` header stripped must be
 * rejected by Prism's security validation (401) and surface as the authentication error.
 */
export async function runUnauthenticatedCase(c: UnauthenticatedCase, baseUrl: string): Promise<void> {
  const exchanges: Exchange[] = [];
  const stripAuth = (request: Request) => {
    const headers = new Headers(request.headers);
    headers.delete("authorization");
    return new Request(request, { headers });
  };
  const { mod, client } = await clientFor(c.pkg, baseUrl, recordingFetch(exchanges, stripAuth));
  const call = methodOf(client, c.operationId)(c.params, { maxRetries: 0 });
  const error = (await rejection(call, c.title)) as Record<string, unknown>;
  expect(exchanges.map((e) => e.status)).toEqual([401]);
  // the 401 came from Prism's security validator, not from a selected example
  expect(exchanges[0]?.violations ?? "").toContain('"code":401');
  expect(error).toBeInstanceOf(exported(mod, "AuthenticationError"));
  expect(error).toBeInstanceOf(exported(mod, c.pkg.client.errorClass));
  expect(error.status).toBe(401);
}
