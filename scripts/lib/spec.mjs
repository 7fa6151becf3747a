// Reading OpenAPI specs: YAML (anchors resolved) and local $ref resolution.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** Parses a YAML or JSON OpenAPI document. */
export function loadSpec(file) {
  return parse(readFileSync(file, "utf8"), { merge: true, maxAliasCount: -1 });
}

/** Follows a local `$ref` (`#/components/...`) until it reaches a non-ref object. */
export function deref(spec, node) {
  let current = node;
  const seen = new Set();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    current = ref
      .slice(2)
      .split("/")
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((obj, key) => obj?.[key], spec);
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];
const IDEMPOTENT = new Set(["get", "put", "delete", "options", "head"]);
const OPERATION_ID = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;

/** Lists the operations of a spec with what the runtime and the tests need to know. */
export function listOperations(spec) {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const shared = item.parameters ?? [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId || !OPERATION_ID.test(op.operationId)) {
        throw new Error(
          `${where}: operationId must look like "<resource>.<method>", got ${JSON.stringify(op.operationId)}`,
        );
      }
      const params = [...shared, ...(op.parameters ?? [])].map((p) => deref(spec, p));
      const byIn = (kind) => params.filter((p) => p.in === kind);
      const requestBody = op.requestBody ? deref(spec, op.requestBody) : undefined;
      const bodySchema = requestBody?.content?.["application/json"]?.schema;
      const resolvedBody = bodySchema ? deref(spec, bodySchema) : undefined;
      const responses = Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, response: deref(spec, r) }));
      const success = responses.find((r) => /^2\d\d$/.test(r.status));
      ops.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description,
        deprecated: op.deprecated === true,
        pathParams: byIn("path").map((p) => p.name),
        queryParams: byIn("query").map((p) => p.name),
        headerParams: byIn("header").map((p) => p.name),
        parameters: params,
        required: [
          ...params
            .filter((p) => (p.in === "path" || p.in === "query") && (p.required || p.in === "path"))
            .map((p) => p.name),
          ...(requestBody?.required && resolvedBody?.required ? resolvedBody.required : []),
        ],
        body: Boolean(bodySchema),
        bodySchema: resolvedBody,
        requestBody,
        idempotent: IDEMPOTENT.has(method) || op["x-idempotent"] === true,
        responseBody: Boolean(success?.response?.content?.["application/json"]),
        responses,
        security: op.security ?? spec.security ?? [],
      });
    }
  }
  return ops;
}
