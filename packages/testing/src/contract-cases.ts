/**
 * The spec-derived contract cases and how to call an operation through a package's client, with no
 * test framework: shared by the contract tests against Prism mocks (contract.ts) and the live check
 * of a real server through Prism's validating proxy (live/, `pnpm contract --live`).
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

export type Module = Record<string, unknown>;
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

/**
 * The package's client, made by its factory (`openapi.client.create`) with `options`: against a
 * mock, the package's `mockOptions`; against a real server, none (credentials from the environment).
 */
export async function createClient(pkg: GeneratedPackage, options: object): Promise<{ mod: Module; client: unknown }> {
  const mod = await importPackage(pkg);
  const create = mod[pkg.client.create];
  if (typeof create !== "function") throw new Error(`${pkg.name} exports no function ${pkg.client.create}`);
  return { mod, client: (create as (options: object) => unknown)(options) };
}

/** The resource method an operationId names: `files.retrieve` → `client.files.retrieve`. */
export function methodOf(client: unknown, operationId: string): Method {
  const keys = operationId.split(".");
  const name = keys.pop() as string;
  const owner = keys.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], client) as
    | Record<string, unknown>
    | undefined;
  const method = owner?.[name];
  if (typeof method !== "function") throw new Error(`client has no method ${operationId}`);
  return (params, options) => (method as Method).call(owner, params, options);
}

/** The request with its `Authorization` header removed (a call without credentials). */
export function withoutCredentials(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete("authorization");
  return new Request(request, { headers });
}
