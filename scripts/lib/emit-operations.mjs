// Emits src/generated/operations.ts: operation metadata, parameter/result types and resource methods.

const q = (s) => JSON.stringify(s);

function jsdoc(lines, indent) {
  const text = lines
    .filter((l) => l !== undefined)
    .join("\n")
    .replace(/\*\//g, "*\\/")
    .trim()
    .split("\n");
  return [`${indent}/**`, ...text.map((l) => `${indent} *${l ? ` ${l}` : ""}`), `${indent} */`].join("\n");
}

/** Groups operations into a tree by the dotted operationId: "a.b.c" -> tree.a.b.c. */
function tree(operations) {
  const rootNode = {};
  for (const op of operations) {
    const parts = op.id.split(".");
    let node = rootNode;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      if (node[part].__op) throw new Error(`${op.id}: "${part}" is both a method and a resource`);
      node = node[part];
    }
    const leaf = parts.at(-1);
    if (node[leaf]) throw new Error(`duplicate operationId ${op.id}`);
    node[leaf] = { __op: op };
  }
  return rootNode;
}

function hasParams(op) {
  return op.pathParams.length + op.queryParams.length > 0 || op.body;
}

function emitInterface(node, indent) {
  const out = [];
  for (const [name, child] of Object.entries(node)) {
    if (child.__op) {
      const op = child.__op;
      const doc = [
        op.summary,
        op.description ? `\n${op.description.trim()}` : undefined,
        `\n\`${op.method} ${op.path}\`${op.idempotent ? "" : " (not retried)"}`,
        op.deprecated ? "@deprecated" : undefined,
      ];
      const optional = hasParams(op) && op.required.length > 0 ? "" : "?";
      out.push(jsdoc(doc, indent));
      out.push(
        `${indent}${name}(params${optional}: OperationTypes[${q(op.id)}]["params"], options?: RequestOptions): APIPromise<R[${q(op.id)}]>;`,
      );
    } else {
      out.push(`${indent}${name}: {`, ...emitInterface(child, `${indent}  `), `${indent}};`);
    }
  }
  return out;
}

function emitFactory(node, indent) {
  const out = [];
  for (const [name, child] of Object.entries(node)) {
    if (child.__op) {
      out.push(`${indent}${name}: (params, options) => call(operationMeta[${q(child.__op.id)}], params, options),`);
    } else {
      out.push(`${indent}${name}: {`, ...emitFactory(child, `${indent}  `), `${indent}},`);
    }
  }
  return out;
}

export function emitOperations(operations) {
  const meta = operations.map((op) => {
    const fields = {
      id: op.id,
      method: op.method,
      path: op.path,
      pathParams: op.pathParams,
      queryParams: op.queryParams,
      required: op.required,
      body: op.body,
      idempotent: op.idempotent,
      responseBody: op.responseBody,
    };
    return `  ${q(op.id)}: ${JSON.stringify(fields).replace(/,"/g, ', "').replace(/":/g, '": ')},`;
  });
  const types = operations.map(
    (op) =>
      `  ${q(op.id)}: {\n    params: OperationParams<operations[${q(op.id)}]>;\n    result: SuccessBody<operations[${q(op.id)}]>;\n  };`,
  );
  const t = tree(operations);
  return `
import type {
  APIPromise,
  OperationCaller,
  OperationMeta,
  OperationParams,
  RequestOptions,
  SuccessBody,
} from "@org/client-core";
import type { operations } from "./schema.js";

/** Static metadata of every operation in the spec, keyed by operationId. */
export const operationMeta = {
${meta.join("\n")}
} as const satisfies Record<string, OperationMeta>;

/** Parameters (path, query and body fields in one object) and success body of every operation. */
export interface OperationTypes {
${types.join("\n")}
}

/** The result type of each operation, after the provider's unwrapping. */
export type ResultMap = { [K in keyof OperationTypes]: unknown };

/** The success bodies as the spec declares them. */
export type SpecResults = { [K in keyof OperationTypes]: OperationTypes[K]["result"] };

/** The resource methods, one per operation. */
export interface Resources<R extends ResultMap = SpecResults> {
${emitInterface(t, "  ").join("\n")}
}

/** Builds the resource methods on an operation caller. */
export function createResources<R extends ResultMap = SpecResults>(call: OperationCaller): Resources<R> {
  return {
${emitFactory(t, "    ").join("\n")}
  };
}
`;
}
