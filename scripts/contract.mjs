#!/usr/bin/env node
// `pnpm contract --live <provider> --base-url <url> [--only <operationId>[,…]]`: checks a real or
// staging server against our spec. The spec-derived contract suite (packages/testing/src/live/, on the
// cases of contract-cases.ts) calls every operation of the provider's client, with the spec's example
// params and the credentials of the provider's usual environment variables (COZE_API_TOKEN,
// COGNITE_API_TOKEN, WOOSHPAY_API_KEY, …), through Prism's validating proxy (`prism proxy <spec>
// <url>`), once with credentials and once without for each secured operation. The report names every
// violation: the operation, the status, and where (`response.body.data.name`, `status`, …).
// The example requests are sent as they are, uploads included: `--only` restricts the operations.
// Nothing is written. Exit codes: 0 the server conforms; 1 violations; 2 bad input (unknown provider,
// missing or invalid --base-url, unreachable server, missing credentials) or the check could not run.
import { connect } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadCodegen } from "./lib/codegen.mjs";
import { loadTypeScript } from "./lib/load-typescript.mjs";
import { startPrism } from "./lib/prism.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: pnpm contract --live <provider> --base-url <url> [--only <operationId>[,<operationId>…]]";
const CONNECT_TIMEOUT_MS = 5000;

/** Bad input: exit 2 with the message (a UsageError also prints the usage line). */
class InputError extends Error {}
class UsageError extends InputError {}

function help(known) {
  const names = [...known].map(([name, p]) => `${name} (${p.credentials.join(", ") || "no credentials"})`);
  return [
    USAGE,
    "",
    "Checks a real or staging server against specs/<provider>/openapi.yaml: every operation is called with",
    "the spec's example params through Prism's validating proxy, with the credentials of the provider's",
    "environment variables, and once without them when it requires them. Nothing is written.",
    "",
    `  --live <provider>  ${names.join("; ")}`,
    "  --base-url <url>   where the spec's paths start (the client's baseUrl), e.g. https://api.coze.cn",
    "  --only <ids>       only these operationIds (the example requests include uploads and deletes)",
    "",
    "Exit 0: no violations; 1: violations (the report names each); 2: bad input, or the check could not run.",
  ].join("\n");
}

/** Providers by name (`specs/<provider>/openapi.yaml`), each with the package generated from it. */
async function providers() {
  const { generatedPackages } = await loadCodegen();
  const found = new Map();
  for (const pkg of generatedPackages(root)) {
    const provider = /[\\/]specs[\\/]([^\\/]+)[\\/]openapi\.yaml$/.exec(pkg.spec)?.[1];
    // the variables its quick start sets, but the base URL: the credentials (COZE_API_TOKEN, …)
    const credentials = Object.keys(pkg.client?.quickStartEnv ?? {}).filter((k) => !k.endsWith("_BASE_URL"));
    if (provider) found.set(provider, { name: pkg.name, spec: pkg.spec, credentials });
  }
  return found;
}

/** The server to check: an http(s) URL, where the spec's paths start (the client's `baseUrl`). */
function baseUrlOf(text) {
  if (text === undefined || text === "") {
    throw new UsageError("--base-url <url> is required: the server to check (where the spec's paths start)");
  }
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--base-url ${JSON.stringify(text)} is not a URL (e.g. https://api.coze.cn)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--base-url ${JSON.stringify(text)}: only http and https servers can be checked`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new UsageError(
      `--base-url ${JSON.stringify(text)}: no query, fragment or user info (credentials come from the environment)`,
    );
  }
  return url;
}

function parseCommandLine(args, known) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        live: { type: "string" },
        "base-url": { type: "string" },
        only: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values.help) return undefined;
  if (values.live === undefined) {
    throw new UsageError(
      "--live <provider> is required (the contract tests against Prism mocks run in `pnpm test`: vitest run scripts/test/contract.test.ts)",
    );
  }
  const provider = known.get(values.live);
  if (!provider) {
    throw new UsageError(`unknown provider ${JSON.stringify(values.live)}; one of: ${[...known.keys()].join(", ")}`);
  }
  const only = (values.only ?? [])
    .flatMap((list) => list.split(","))
    .map((id) => id.trim())
    .filter(Boolean);
  return { provider, baseUrl: baseUrlOf(values["base-url"]), only };
}

/** Opens (and closes) a TCP connection to the server: nothing is sent. Resolves to the error, if any. */
function connectionError(url) {
  return new Promise((done) => {
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const socket = connect({ host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port });
    const finish = (error) => {
      socket.destroy();
      done(error);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () =>
      finish(new Error(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`)),
    );
    socket.once("connect", () => finish(undefined));
    socket.once("error", finish);
  });
}

async function main() {
  const known = await providers();
  const options = parseCommandLine(process.argv.slice(2), known);
  if (!options) {
    console.log(help(known));
    return 0;
  }
  const { provider, baseUrl, only } = options;
  const unreachable = await connectionError(baseUrl);
  if (unreachable) {
    throw new InputError(
      `cannot reach ${baseUrl.origin}: ${unreachable.message} (is the server up? is --base-url right?)`,
    );
  }
  // the suite first: missing credentials or an unknown --only operation stop it before Prism starts
  const suite = await loadTypeScript(root, "/packages/testing/src/live/index.ts");
  let prism;
  try {
    const live = suite.module;
    let check;
    try {
      check = await live.prepareLiveCheck(provider.name, only);
    } catch (error) {
      throw error?.name === "LiveCheckInputError" ? new InputError(error.message) : error;
    }
    prism = await startPrism(provider.spec, { upstream: baseUrl.href });
    const report = await live.runLiveCheck(check, prism.url, baseUrl.href.replace(/\/$/, ""));
    console.log(live.formatReport(report));
    return live.violationCount(report) === 0 ? 0 : 1;
  } finally {
    await Promise.all([prism?.stop(), suite.close()]);
  }
}

process.once("SIGINT", () => process.exit(130));
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`contract: ${error instanceof InputError ? error.message : (error?.stack ?? error)}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exitCode = 2;
  },
);
