/**
 * The live contract check: the spec-derived contract suite (contract-cases.ts) sent to a real server
 * through Prism's validating proxy. A server cannot be told which declared response to send, so each
 * operation is called once with the spec's example params and the package's client (credentials from
 * the provider's usual environment variables), and once without credentials when it requires them;
 * whatever the server answers is checked against the spec: a declared status, and a body and headers
 * that match it (Prism's `sl-violations`).
 */
import {
  contractCases,
  createClient,
  type GeneratedPackage,
  generatedPackages,
  methodOf,
  unauthenticatedCases,
  withoutCredentials,
} from "../contract-cases.js";
import { type Finding, findingsOf, type Observed } from "./violations.js";

/** Bad input found before anything is sent (unknown operation, missing credentials): exit 2, not 1. */
export class LiveCheckInputError extends Error {
  override name = "LiveCheckInputError";
}

/** One operation as the check calls it. */
export interface OperationPlan {
  operationId: string;
  /** `GET /v1/folders/{folder_id}`. */
  route: string;
  /** The statuses the spec declares for it. */
  declared: number[];
  /** The spec's example params (the same as the contract tests'). */
  params: Record<string, unknown>;
  /** Whether it requires credentials (then it is also called without them). */
  secured: boolean;
}

/** What the check will do: the package and its operations. */
export interface LiveCheck {
  pkg: GeneratedPackage;
  operations: OperationPlan[];
}

/** One request the client sent through the proxy, and what was found about the answer. */
export interface LiveExchange {
  /** `GET /v1/files/retrieve?file_id=…` (path and query as sent; a long query cut at 80 characters). */
  request: string;
  /** The server's status (or Prism's, when the server never answered: see the `proxy` error). */
  status: number;
  errors: Finding[];
  warnings: Finding[];
}

/** One call of a client method. */
export interface LiveCall {
  operationId: string;
  route: string;
  credentials: boolean;
  exchanges: LiveExchange[];
  /** How the client's call ended: `resolved`, or the error it rejected with. */
  outcome: string;
}

export interface LiveReport {
  packageName: string;
  baseUrl: string;
  calls: LiveCall[];
}

/** The operations of a package's spec, each with the statuses it declares (from its contract cases). */
export function operationPlans(pkg: GeneratedPackage): OperationPlan[] {
  const secured = new Set(unauthenticatedCases([pkg]).map((c) => c.operationId));
  const plans = new Map<string, OperationPlan>();
  for (const c of contractCases(pkg.spec, pkg)) {
    const plan = plans.get(c.operationId) ?? {
      operationId: c.operationId,
      route: c.route,
      declared: [],
      params: c.params,
      secured: secured.has(c.operationId),
    };
    plan.declared.push(c.status);
    plans.set(c.operationId, plan);
  }
  return [...plans.values()];
}

/**
 * Checks the input before anything is sent: the package exists, `only` names its operations, and its
 * client can be made from the environment (the provider's usual variables hold the credentials).
 * @throws LiveCheckInputError
 */
export async function prepareLiveCheck(packageName: string, only?: readonly string[]): Promise<LiveCheck> {
  const pkg = generatedPackages().find((p) => p.name === packageName);
  if (!pkg) throw new LiveCheckInputError(`no package ${packageName} is generated from a spec`);
  let operations = operationPlans(pkg);
  if (only && only.length > 0) {
    const known = operations.map((op) => op.operationId);
    const unknown = only.filter((id) => !known.includes(id));
    if (unknown.length > 0) {
      throw new LiveCheckInputError(
        `--only: ${pkg.name} has no operation ${unknown.join(", ")}; its operations: ${known.join(", ")}`,
      );
    }
    operations = operations.filter((op) => only.includes(op.operationId));
  }
  try {
    await createClient(pkg, { baseUrl: "http://127.0.0.1:9" });
  } catch (error) {
    throw new LiveCheckInputError(`no credentials for ${pkg.name}: ${error instanceof Error ? error.message : error}`);
  }
  return { pkg, operations };
}

const PRISM_ERROR = "https://stoplight.io/prism/errors#";

/** The status and violations of a response, and whether Prism answered itself (no answer from the server). */
async function observe(response: Response): Promise<Observed> {
  const observed: Observed = { status: response.status, violations: response.headers.get("sl-violations") };
  if (response.headers.get("content-type")?.includes("application/problem+json")) {
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { type?: unknown; title?: unknown; detail?: unknown } | undefined;
    if (typeof body?.type === "string" && body.type.startsWith(PRISM_ERROR)) {
      observed.prismProblem = { title: String(body.title ?? body.type), detail: String(body.detail ?? "") };
    }
  }
  return observed;
}

/** How a client call ended, in one short line. */
function outcomeOf(error: unknown): string {
  if (!(error instanceof Error)) return `rejected: ${String(error)}`;
  const status = (error as { status?: unknown }).status;
  const line = error.message.split("\n")[0] ?? "";
  const message = line.length > 160 ? `${line.slice(0, 160)}…` : line;
  return `rejected: ${error.name}${typeof status === "number" ? ` (${status})` : ""}: ${message}`;
}

async function call(pkg: GeneratedPackage, op: OperationPlan, proxyUrl: string, credentials: boolean) {
  const exchanges: LiveExchange[] = [];
  const recording: typeof fetch = async (input, init) => {
    let request = new Request(input, init);
    const url = new URL(request.url);
    // a request elsewhere (e.g. to an upload URL the server handed out) does not pass the proxy: not checked
    if (url.origin !== new URL(proxyUrl).origin) return fetch(request);
    if (!credentials) request = withoutCredentials(request);
    const response = await fetch(request);
    const findings = findingsOf(await observe(response), { declared: op.declared, credentials });
    const query = url.search.length > 80 ? `${url.search.slice(0, 80)}…` : url.search;
    exchanges.push({ request: `${request.method} ${url.pathname}${query}`, status: response.status, ...findings });
    return response;
  };
  const { client } = await createClient(pkg, { baseUrl: proxyUrl, fetch: recording, maxRetries: 0 });
  let outcome = "resolved";
  try {
    await methodOf(client, op.operationId)(op.params, { maxRetries: 0 });
  } catch (error) {
    outcome = outcomeOf(error);
  }
  return { operationId: op.operationId, route: op.route, credentials, exchanges, outcome } satisfies LiveCall;
}

/**
 * Runs the check: every planned operation through the proxy at `proxyUrl` (Prism in front of
 * `baseUrl`), one call at a time (a real server may limit the rate).
 */
export async function runLiveCheck(check: LiveCheck, proxyUrl: string, baseUrl: string): Promise<LiveReport> {
  const calls: LiveCall[] = [];
  for (const op of check.operations) {
    calls.push(await call(check.pkg, op, proxyUrl, true));
    if (op.secured) calls.push(await call(check.pkg, op, proxyUrl, false));
  }
  return { packageName: check.pkg.name, baseUrl, calls };
}
