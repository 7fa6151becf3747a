/**
 * Contract tests derived from the specs: one case per (operation × declared response) of every
 * generated package, run against the package's Prism mock. The harness knows no provider: what is
 * provider-specific (how to create the client, how results are unwrapped, the error class, where
 * the error code lives) comes from the `openapi.client` field of the package's package.json.
 */
import { expect } from "vitest";
import {
  type ContractCase,
  createClient,
  type GeneratedPackage,
  type Module,
  methodOf,
  type UnauthenticatedCase,
  withoutCredentials,
} from "./contract-cases.js";

// the cases and how to call them live in contract-cases.ts (no test framework: the live check uses them too)
export {
  allContractCases,
  type ClientContract,
  type ContractCase,
  contractCases,
  type GeneratedPackage,
  generatedPackages,
  importPackage,
  type UnauthenticatedCase,
  unauthenticatedCases,
} from "./contract-cases.js";

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
  return createClient(pkg, {
    ...pkg.client.mockOptions,
    baseUrl,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    maxRetries: 0,
  });
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
  const { mod, client } = await clientFor(c.pkg, baseUrl, recordingFetch(exchanges, withoutCredentials));
  const call = methodOf(client, c.operationId)(c.params, { maxRetries: 0 });
  const error = (await rejection(call, c.title)) as Record<string, unknown>;
  expect(exchanges.map((e) => e.status)).toEqual([401]);
  // the 401 came from Prism's security validator, not from a selected example
  expect(exchanges[0]?.violations ?? "").toContain('"code":401');
  expect(error).toBeInstanceOf(exported(mod, "AuthenticationError"));
  expect(error).toBeInstanceOf(exported(mod, c.pkg.client.errorClass));
  expect(error.status).toBe(401);
}
