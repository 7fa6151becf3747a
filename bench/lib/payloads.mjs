// The example payloads the benchmark server answers with: each provider's files.retrieve response
// example from its spec, so every contender parses the same realistic body.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { listOperations, loadSpec, responseExample } from "@org/codegen";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function example(provider, operationId) {
  const spec = loadSpec(join(root, "specs", provider, "openapi.yaml"));
  const op = listOperations(spec).find((o) => o.id === operationId);
  const ok = op.responses.find((r) => /^2\d\d$/.test(r.status));
  const body = responseExample(spec, ok.response);
  if (body === undefined) throw new Error(`${provider} ${operationId}: no response example`);
  return body;
}

/** Response bodies by provider. */
export function payloads() {
  const cogniteList = example("cognite", "files.retrieveMultiple");
  return {
    coze: example("coze", "files.retrieve"),
    cognite: example("cognite", "files.retrieve"),
    cogniteItem: cogniteList.items?.[0] ?? example("cognite", "files.retrieve"),
    wooshpay: example("wooshpay", "files.retrieve"),
  };
}
