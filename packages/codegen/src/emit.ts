/**
 * Emits a client package's `src/generated/types.ts` (a name for every schema and for every
 * operation's params and result) and `src/generated/operations.ts` (operation metadata, the
 * `Resources` interface and `createResources`).
 */
import type { OpenApiDocument } from "./openapi.js";
import { GenerationError, type SpecOperation, schemaAtPath } from "./spec.js";

const q = (s: string) => JSON.stringify(s);

/** A JSDoc block; `undefined` lines are left out. */
function jsdoc(lines: (string | undefined)[], indent: string): string {
  const text = lines
    .filter((l): l is string => l !== undefined)
    .join("\n")
    .replace(/\*\//g, "*\\/")
    .trim()
    .split("\n");
  return [`${indent}/**`, ...text.map((l) => `${indent} *${l ? ` ${l}` : ""}`), `${indent} */`].join("\n");
}

/** `file_link` → `FileLink`, `fileMetadata` → `FileMetadata`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The names of an operation's generated types. */
export interface OperationTypeNames {
  /** `<Resource><Method>Params`, e.g. `FilesRetrieveParams`. */
  params: string;
  /** `<Resource><Method>Result`: what the method resolves to, after the provider's unwrapping. */
  result: string;
  /** `<Resource><Method>Item`: the item type of a paginated operation. */
  item: string | undefined;
}

/** Where each operation's result sits in its success body (the package.json `openapi.client.resultPath`). */
export type ResultPathOf = (operationId: string) => string | undefined;

/** Names the generated types module imports; a generated name may not take them. */
const TYPES_IMPORTS = ["AtPath", "OperationParams", "PageItem", "SuccessBody", "WithFiles", "components", "operations"];

/** The names of every generated type, checked for collisions (a GenerationError names both origins). */
export function typeNames(
  spec: OpenApiDocument,
  operations: SpecOperation[],
): { schemas: Map<string, string>; operations: Map<string, OperationTypeNames> } {
  const taken = new Map<string, string>(TYPES_IMPORTS.map((n) => [n, `the import ${n}`]));
  const claim = (name: string, origin: string) => {
    if (!IDENTIFIER.test(name)) throw new GenerationError(`${origin}: "${name}" is not a valid type name`);
    const other = taken.get(name);
    if (other !== undefined) {
      throw new GenerationError(`type name collision: ${origin} and ${other} are both named ${name}`);
    }
    taken.set(name, origin);
    return name;
  };
  const schemas = new Map<string, string>();
  for (const name of Object.keys(spec.components?.schemas ?? {})) {
    schemas.set(name, claim(pascalCase(name), `schema ${q(name)}`));
  }
  const ops = new Map<string, OperationTypeNames>();
  for (const op of operations) {
    const base = op.id.split(".").map(pascalCase).join("");
    ops.set(op.id, {
      params: claim(`${base}Params`, `the params of ${op.id}`),
      result: claim(`${base}Result`, `the result of ${op.id}`),
      item: op.pagination ? claim(`${base}Item`, `the page item of ${op.id}`) : undefined,
    });
  }
  return { schemas, operations: ops };
}

/**
 * Checks the package's result paths and the pagination paths against each operation's JSON
 * success schema: a path the schema says does not exist fails generation.
 */
export function checkResultPaths(spec: OpenApiDocument, operations: SpecOperation[], resultPathOf: ResultPathOf): void {
  for (const op of operations) {
    if (!op.responseBody) continue;
    const where = `${op.id} (${op.method} ${op.path})`;
    const resultPath = resultPathOf(op.id);
    const result = resultPath ? schemaAtPath(spec, op.successSchema, resultPath) : op.successSchema;
    if (result === null) {
      throw new GenerationError(
        `${where}: the result path "${resultPath}" (openapi.client) is not in the success body`,
      );
    }
    const pagination = op.pagination;
    if (!pagination) continue;
    const paths: [string, string | undefined][] = [["itemsPath", pagination.itemsPath]];
    if (pagination.style === "cursor") paths.push(["nextCursorPath", pagination.nextCursorPath]);
    if (pagination.style === "has_more") paths.push(["hasMorePath", pagination.hasMorePath]);
    if (pagination.style === "page")
      paths.push(["hasMorePath", pagination.hasMorePath], ["totalPath", pagination.totalPath]);
    for (const [key, path] of paths) {
      if (path === undefined) continue;
      const target = schemaAtPath(spec, result, path);
      if (target === null) {
        throw new GenerationError(
          `${where}: x-pagination ${key} "${path}" is not in the result${resultPath ? ` (the body's "${resultPath}")` : ""}`,
        );
      }
      if (key === "itemsPath" && target) {
        const types = target.type === undefined ? [] : Array.isArray(target.type) ? target.type : [target.type];
        if (types.length > 0 && !types.includes("array")) {
          throw new GenerationError(`${where}: x-pagination itemsPath "${path}" is not an array`);
        }
      }
    }
  }
}

/** Emits `types.ts`: a PascalCase alias per named schema, and the params/result (and item) type of every operation. */
export function emitTypes(
  spec: OpenApiDocument,
  operations: SpecOperation[],
  resultPathOf: ResultPathOf = () => undefined,
): string {
  const names = typeNames(spec, operations);
  const out: string[] = [];
  const used = new Set<string>(["OperationParams", "SuccessBody"]);
  if (names.schemas.size) used.add("components");
  if (operations.length) used.add("operations");
  for (const [name, alias] of names.schemas) {
    const schema = spec.components?.schemas?.[name];
    const description = typeof schema?.description === "string" ? schema.description.trim() : undefined;
    out.push(jsdoc([description ?? `The \`${name}\` schema.`], ""));
    out.push(`export type ${alias} = components["schemas"][${q(name)}];`, "");
  }
  for (const op of operations) {
    const n = names.operations.get(op.id) as OperationTypeNames;
    const raw = `operations[${q(op.id)}]`;
    out.push(
      jsdoc(
        [`Params of \`${op.id}\` (\`${op.method} ${op.path}\`): path, query, header and body fields in one object.`],
        "",
      ),
    );
    if (op.fileFields.length) {
      used.add("WithFiles");
      out.push(`export type ${n.params} = WithFiles<OperationParams<${raw}>, ${op.fileFields.map(q).join(" | ")}>;`);
    } else {
      out.push(`export type ${n.params} = OperationParams<${raw}>;`);
    }
    const resultPath = op.responseBody ? resultPathOf(op.id) : undefined;
    if (resultPath) {
      used.add("AtPath");
      out.push(jsdoc([`What \`${op.id}\` resolves to: the success body's \`${resultPath}\`.`], ""));
      out.push(`export type ${n.result} = AtPath<SuccessBody<${raw}>, ${q(resultPath)}>;`);
    } else {
      out.push(jsdoc([`What \`${op.id}\` resolves to: its success body.`], ""));
      out.push(`export type ${n.result} = SuccessBody<${raw}>;`);
    }
    if (op.pagination && n.item) {
      used.add("PageItem");
      out.push(jsdoc([`One item of a \`${op.id}\` page (the result's \`${op.pagination.itemsPath}\`).`], ""));
      out.push(`export type ${n.item} = PageItem<${n.result}, ${q(op.pagination.itemsPath)}>;`);
    }
    out.push("");
  }
  const core = ["AtPath", "OperationParams", "PageItem", "SuccessBody", "WithFiles"].filter((n) => used.has(n));
  const schema = ["components", "operations"].filter((n) => used.has(n));
  const imports = [
    operations.length ? `import type { ${core.join(", ")} } from "@org/client-core";` : undefined,
    schema.length ? `import type { ${schema.join(", ")} } from "./schema.js";` : undefined,
  ].filter(Boolean);
  return `\n${imports.join("\n")}\n\n${out.join("\n")}`.replace(/\n+$/, "\n");
}

interface TreeNode {
  [name: string]: TreeNode | { __op: SpecOperation };
}

const isLeaf = (node: unknown): node is { __op: SpecOperation } =>
  typeof node === "object" && node !== null && "__op" in node;

/** Groups operations into a tree by the dotted operationId: "a.b.c" -> tree.a.b.c. */
function tree(operations: SpecOperation[]): TreeNode {
  const rootNode: TreeNode = {};
  for (const op of operations) {
    const parts = op.id.split(".");
    let node = rootNode;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      const child = node[part];
      if (isLeaf(child)) throw new GenerationError(`${op.id}: "${part}" is both a method and a resource`);
      node = child;
    }
    const leaf = parts.at(-1) as string;
    if (node[leaf]) {
      throw new GenerationError(
        isLeaf(node[leaf]) ? `duplicate operationId ${op.id}` : `${op.id}: "${leaf}" is both a method and a resource`,
      );
    }
    node[leaf] = { __op: op };
  }
  return rootNode;
}

function hasParams(op: SpecOperation): boolean {
  return op.pathParams.length + op.queryParams.length + op.headerParams.length > 0 || op.body;
}

/** A value as compact one-line TypeScript/JSON: `{ "a": 1, "b": ["x"] }`. */
function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${q(k)}: ${compact(v)}`).join(", ")} }` : "{}";
  }
  return JSON.stringify(value);
}

/** The `OperationMeta` of an operation, as it is emitted (optional fields only when they say something). */
export function operationMetaOf(op: SpecOperation): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    id: op.id,
    method: op.method,
    path: op.path,
    pathParams: op.pathParams,
    queryParams: op.queryParams,
  };
  if (op.headerParams.length) meta.headerParams = op.headerParams;
  meta.required = op.required;
  meta.body = op.body;
  if (op.bodyKind === "multipart") meta.bodyKind = "multipart";
  if (op.fileFields.length) meta.fileFields = op.fileFields;
  meta.idempotent = op.idempotent;
  meta.responseBody = op.responseBody;
  if (op.binaryResponse) meta.binaryResponse = true;
  if (Object.keys(op.constraints).length) meta.constraints = op.constraints;
  if (op.pagination) meta.pagination = op.pagination;
  return meta;
}

function emitMeta(op: SpecOperation): string {
  const lines = Object.entries(operationMetaOf(op)).map(([key, value]) => {
    if (key === "constraints") {
      const entries = Object.entries(value as Record<string, unknown>).map(([n, c]) => `      ${q(n)}: ${compact(c)},`);
      return `    ${q(key)}: {\n${entries.join("\n")}\n    },`;
    }
    return `    ${q(key)}: ${compact(value)},`;
  });
  return `  ${q(op.id)}: {\n${lines.join("\n")}\n  },`;
}

function emitInterface(node: TreeNode, names: Map<string, OperationTypeNames>, indent: string): string[] {
  const out: string[] = [];
  for (const [name, child] of Object.entries(node)) {
    if (isLeaf(child)) {
      const op = child.__op;
      const n = names.get(op.id) as OperationTypeNames;
      const doc = [
        op.summary,
        op.description ? `\n${op.description.trim()}` : undefined,
        `\n\`${op.method} ${op.path}\`${op.idempotent ? "" : " (not retried)"}`,
        op.pagination
          ? "\nPaginated: resolves to the first page; `for await (const item of …)` iterates every item of every page."
          : undefined,
        op.deprecated ? "@deprecated" : undefined,
      ];
      const optional = hasParams(op) && op.required.length > 0 ? "" : "?";
      const result = op.pagination ? `PagePromise<${n.item}, ${n.result}>` : `APIPromise<${n.result}>`;
      out.push(jsdoc(doc, indent));
      out.push(`${indent}${name}(params${optional}: ${n.params}, options?: RequestOptions): ${result};`);
    } else {
      out.push(`${indent}${name}: {`, ...emitInterface(child, names, `${indent}  `), `${indent}};`);
    }
  }
  return out;
}

function emitFactory(node: TreeNode, indent: string): string[] {
  const out: string[] = [];
  for (const [name, child] of Object.entries(node)) {
    if (isLeaf(child)) {
      const op = child.__op;
      const caller = op.pagination ? "page" : "call";
      out.push(`${indent}${name}: (params, options) => ${caller}(operationMeta[${q(op.id)}], params, options),`);
    } else {
      out.push(`${indent}${name}: {`, ...emitFactory(child, `${indent}  `), `${indent}},`);
    }
  }
  return out;
}

/** Emits `operations.ts`: `operationMeta`, the `Resources` interface and `createResources`. */
export function emitOperations(spec: OpenApiDocument, operations: SpecOperation[]): string {
  const names = typeNames(spec, operations).operations;
  const t = tree(operations);
  const paged = operations.some((op) => op.pagination);
  const plain = operations.some((op) => !op.pagination);
  const core = [
    plain ? "APIPromise" : undefined,
    "OperationCaller",
    "OperationMeta",
    paged ? "PageCaller" : undefined,
    paged ? "PagePromise" : undefined,
    "RequestOptions",
  ].filter(Boolean);
  const typeImports = operations.flatMap((op) => {
    const n = names.get(op.id) as OperationTypeNames;
    return [n.params, n.result, ...(n.item ? [n.item] : [])];
  });
  const callers = paged
    ? [
        "  /** Calls an operation (retries, timeouts, typed errors). */",
        "  readonly call: OperationCaller;",
        "  /** Calls a paginated operation. */",
        "  readonly page: PageCaller;",
      ]
    : ["  /** Calls an operation (retries, timeouts, typed errors). */", "  readonly call: OperationCaller;"];
  return `
import type {
${core.map((n) => `  ${n},`).join("\n")}
} from "@org/client-core";
${
  typeImports.length
    ? `import type {\n${typeImports
        .sort()
        .map((n) => `  ${n},`)
        .join("\n")}\n} from "./types.js";\n`
    : ""
}
/** Static metadata of every operation in the spec, keyed by operationId. */
export const operationMeta = {
${operations.map(emitMeta).join("\n")}
} as const satisfies Record<string, OperationMeta>;

/** The resource methods, one per operation. */
export interface Resources {
${emitInterface(t, names, "  ").join("\n")}
}

/** What the resource methods are built on: the core client's callers (a \`CoreClient\` is one). */
export interface ResourceCallers {
${callers.join("\n")}
}

/** Builds the resource methods on the core client's callers: \`createResources(core)\`. */
export function createResources({ ${paged ? "call, page" : "call"} }: ResourceCallers): Resources {
  return {
${emitFactory(t, "    ").join("\n")}
  };
}
`;
}
