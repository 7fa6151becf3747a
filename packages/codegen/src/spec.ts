/**
 * Reading OpenAPI specs: YAML (anchors resolved), local `$ref` resolution, and the listing of
 * operations with everything the runtime and the tests need to know. Whatever the runtime does
 * not implement fails here, with a message naming the operation and the construct.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type {
  BodyKind,
  HttpMethod,
  OpenApiDocument,
  Operation,
  PaginationMeta,
  ParamConstraint,
  Parameter,
  PathItem,
  Reference,
  RequestBody,
  Response,
  Schema,
  SecurityRequirement,
} from "./openapi.js";

/** A spec the generator cannot turn into a client; the message names the operation and the construct. */
export class GenerationError extends Error {
  override name = "GenerationError";
}

/** Parses a YAML or JSON OpenAPI document. */
export function loadSpec(file: string): OpenApiDocument {
  return parse(readFileSync(file, "utf8"), { merge: true, maxAliasCount: -1 }) as OpenApiDocument;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether `node` is a `{ $ref }` object. */
export function isReference(node: unknown): node is Reference {
  return isObject(node) && typeof node.$ref === "string";
}

/** Follows a local `$ref` (`#/components/...`) until it reaches a non-ref object. */
export function deref<T>(spec: OpenApiDocument, node: T | Reference): T {
  let current: unknown = node;
  const seen = new Set<string>();
  while (isReference(current)) {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new GenerationError(`only local $refs are supported, got ${ref}`);
    if (seen.has(ref)) throw new GenerationError(`circular $ref ${ref}`);
    seen.add(ref);
    current = ref
      .slice(2)
      .split("/")
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>(
        (obj, key) => (isObject(obj) || Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined),
        spec,
      );
    if (current === undefined) throw new GenerationError(`unresolved $ref ${ref}`);
  }
  return current as T;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
const IDEMPOTENT = new Set<string>(["get", "put", "delete", "options", "head"]);
const OPERATION_ID = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;
/** Success statuses `SuccessBody` of @org/client-core knows. */
const SUCCESS_STATUSES = new Set(["200", "201", "202", "203", "204", "206", "2XX"]);
/** Header parameters OpenAPI says to ignore; the client sets them itself. */
const RESERVED_HEADERS = new Set(["accept", "content-type", "authorization"]);
const JSON_MEDIA = "application/json";
const MULTIPART_MEDIA = "multipart/form-data";

/** One operation of a spec, with what the runtime and the tests need to know. */
export interface SpecOperation {
  /** The operationId, `<resource>.<method>`. */
  id: string;
  method: HttpMethod;
  path: string;
  summary: string | undefined;
  description: string | undefined;
  deprecated: boolean;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  /** Every parameter (path item's and operation's, `$ref`s resolved; the operation's win). */
  parameters: Parameter[];
  /** Params that must be present: path params, required query and header params, required body fields. */
  required: string[];
  /** Whether the operation has a request body (JSON or multipart). */
  body: boolean;
  /** How the body is encoded, when there is one. */
  bodyKind: BodyKind | undefined;
  /** The body's schema (resolved), when there is one. */
  bodySchema: Schema | undefined;
  requestBody: RequestBody | undefined;
  /** Multipart fields that carry a file. */
  fileFields: string[];
  idempotent: boolean;
  /** Whether the success response has a JSON body. */
  responseBody: boolean;
  /** Whether the success response has a body in another media type (a `Blob`). */
  binaryResponse: boolean;
  /** The JSON success body's schema (resolved), when there is one. */
  successSchema: Schema | undefined;
  responses: { status: string; response: Response }[];
  security: SecurityRequirement[];
  /** Constraints of each param that has some. */
  constraints: Record<string, ParamConstraint>;
  pagination: PaginationMeta | undefined;
}

/** Lists the operations of a spec; throws a {@link GenerationError} on anything the runtime does not support. */
export function listOperations(spec: OpenApiDocument): SpecOperation[] {
  const ops: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = derefAt<PathItem>(spec, rawItem, `path ${path}`);
    if (item.trace) {
      throw new GenerationError(`${describe(item.trace, "TRACE", path)}: TRACE operations are not supported`);
    }
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      ops.push(readOperation(spec, path, item, method, op));
    }
  }
  return ops;
}

function describe(op: Operation, method: string, path: string): string {
  return typeof op.operationId === "string" ? `${op.operationId} (${method} ${path})` : `${method} ${path}`;
}

/** `deref` with the place named in its error. */
function derefAt<T>(spec: OpenApiDocument, node: T | Reference, where: string): T {
  try {
    return deref(spec, node);
  } catch (error) {
    throw new GenerationError(`${where}: ${(error as Error).message}`);
  }
}

/** Resolves a node that may be a local `$ref`; a failure names the operation. */
type Resolve = <T>(node: T | Reference) => T;
/** Throws a {@link GenerationError} naming the operation. */
type Fail = (message: string) => never;

function readOperation(
  spec: OpenApiDocument,
  path: string,
  item: PathItem,
  lower: (typeof HTTP_METHODS)[number],
  op: Operation,
): SpecOperation {
  const method = lower.toUpperCase() as HttpMethod;
  const where = `${method} ${path}`;
  if (typeof op.operationId !== "string" || !OPERATION_ID.test(op.operationId)) {
    throw new GenerationError(
      `${where}: operationId must look like "<resource>.<method>", got ${JSON.stringify(op.operationId)}`,
    );
  }
  const id = op.operationId;
  const fail: Fail = (message) => {
    throw new GenerationError(`${id} (${where}): ${message}`);
  };
  checkRefs(spec, { parameters: item.parameters, operation: op }, fail);
  const resolve: Resolve = (node) => {
    try {
      return deref(spec, node);
    } catch (error) {
      return fail((error as Error).message);
    }
  };

  const { parameters, locations } = readParameters(spec, item, op, resolve, fail);
  const byIn = (kind: string) => parameters.filter((p) => p.in === kind).map((p) => p.name);
  const pathParams = byIn("path");
  checkPathTemplate(path, pathParams, fail);
  const body = readRequestBody(op, locations, resolve, fail);
  const success = readResponses(op, resolve, fail);

  // path params are always required
  const required = parameters
    .filter((p) => p.in === "path" || ((p.in === "query" || p.in === "header") && p.required))
    .map((p) => p.name);
  if (body.requestBody?.required && Array.isArray(body.bodySchema?.required))
    required.push(...body.bodySchema.required);

  const constraints = readConstraints(spec, parameters, body, resolve, fail);
  const paramNames = [...parameters.map((p) => p.name), ...Object.keys(body.bodySchema?.properties ?? {})];
  let pagination: PaginationMeta | undefined;
  if (op["x-pagination"] !== undefined) {
    pagination = readPagination(op["x-pagination"], paramNames, fail);
    if (!success.responseBody) fail("x-pagination on an operation without a JSON success body");
  }

  return {
    id,
    method,
    path,
    summary: op.summary,
    description: op.description,
    deprecated: op.deprecated === true,
    pathParams,
    queryParams: byIn("query"),
    headerParams: byIn("header"),
    parameters,
    required,
    body: body.bodyKind !== undefined,
    bodyKind: body.bodyKind,
    bodySchema: body.bodySchema,
    requestBody: body.requestBody,
    fileFields: body.fileFields,
    idempotent: IDEMPOTENT.has(lower) || op["x-idempotent"] === true,
    responseBody: success.responseBody,
    binaryResponse: success.binaryResponse,
    successSchema: success.successSchema,
    responses: success.responses,
    security: op.security ?? spec.security ?? [],
    constraints,
    pagination,
  };
}

/**
 * The operation's parameters: the path item's, overridden by the operation's with the same name and
 * location, each checked; and where each name is (two locations may not share a name).
 */
function readParameters(
  spec: OpenApiDocument,
  item: PathItem,
  op: Operation,
  resolve: Resolve,
  fail: Fail,
): { parameters: Parameter[]; locations: Map<string, string> } {
  const byKey = new Map<string, Parameter>();
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const p = resolve(raw);
    if (!isObject(p) || typeof p.name !== "string" || typeof p.in !== "string") fail("a parameter without name or in");
    byKey.set(`${p.in}:${p.name}`, p);
  }
  const parameters = [...byKey.values()];
  const locations = new Map<string, string>();
  for (const p of parameters) {
    checkParameter(spec, p, fail);
    const other = locations.get(p.name);
    if (other !== undefined) fail(`parameter "${p.name}" is declared both in ${other} and in ${p.in}`);
    locations.set(p.name, p.in);
  }
  return { parameters, locations };
}

/** Fails unless every `{name}` of the path template is a path parameter, and every path parameter is in it. */
function checkPathTemplate(path: string, pathParams: string[], fail: Fail): void {
  const templated = [...path.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] as string);
  for (const name of templated) {
    if (!pathParams.includes(name)) fail(`path template {${name}} has no path parameter`);
  }
  for (const name of pathParams) {
    if (!templated.includes(name)) fail(`path parameter "${name}" is not in the path template`);
  }
}

/** What {@link readRequestBody} learns of the request body. */
interface BodyFacts {
  requestBody: RequestBody | undefined;
  bodyKind: BodyKind | undefined;
  bodySchema: Schema | undefined;
  /** Multipart fields that carry a file. */
  fileFields: string[];
}

/**
 * The request body: one media type (JSON or multipart), an object schema of fields whose names no
 * parameter has (`locations`), and for multipart its file fields and a supported `encoding`.
 */
function readRequestBody(op: Operation, locations: Map<string, string>, resolve: Resolve, fail: Fail): BodyFacts {
  const fileFields: string[] = [];
  if (op.requestBody === undefined) {
    return { requestBody: undefined, bodyKind: undefined, bodySchema: undefined, fileFields };
  }
  const requestBody = resolve(op.requestBody);
  const media = Object.keys(requestBody.content ?? {});
  if (media.length === 0) fail("request body declares no content");
  if (media.length > 1) {
    fail(
      `request body in several media types (${media.join(", ")}): declare one, application/json or multipart/form-data`,
    );
  }
  const mediaType = media[0] as string;
  let bodyKind: BodyKind | undefined;
  if (mediaType === JSON_MEDIA) bodyKind = "json";
  else if (mediaType === MULTIPART_MEDIA) bodyKind = "multipart";
  else {
    fail(`request body in ${mediaType} is not supported (only application/json and multipart/form-data)`);
  }
  const content = requestBody.content?.[mediaType] ?? {};
  if (content.schema === undefined) fail(`request body (${mediaType}) has no schema`);
  const bodySchema = resolve(content.schema as Schema);
  if (bodySchema.allOf || bodySchema.anyOf || bodySchema.oneOf) {
    fail(
      `request body schema with allOf/anyOf/oneOf is not supported: its fields must be the params' (declare the properties)`,
    );
  }
  const types = typesOf(bodySchema.type);
  if (!(types.includes("object") || (types.length === 0 && isObject(bodySchema.properties)))) {
    fail(
      `request body schema of type ${types.join("|") || "unknown"} is not supported: the body must be an object of fields`,
    );
  }
  for (const name of Object.keys(bodySchema.properties ?? {})) {
    const other = locations.get(name);
    if (other !== undefined) fail(`body property "${name}" collides with the ${other} parameter "${name}"`);
  }
  if (bodyKind === "multipart") {
    for (const [name, raw] of Object.entries(bodySchema.properties ?? {})) {
      const schema = resolve(raw);
      if (isFileSchema(schema)) {
        fileFields.push(name);
        continue;
      }
      // an array of files would need Uploadable[] (WithFiles types a file field as one Uploadable);
      // other fields are text, objects (and objects in arrays) JSON text: the runtime sends them
      const items = schema.items === undefined ? undefined : resolve(schema.items);
      if (items !== undefined && isFileSchema(items)) {
        fail(`multipart field "${name}": an array of files is not supported`);
      }
    }
    for (const [name, encoding] of Object.entries(content.encoding ?? {})) {
      if (!(name in (bodySchema.properties ?? {}))) fail(`multipart encoding for unknown field "${name}"`);
      for (const key of ["style", "explode", "headers", "allowReserved"]) {
        if (key in encoding)
          fail(`multipart encoding of field "${name}": "${key}" is not supported (only contentType)`);
      }
    }
  }
  return { requestBody, bodyKind, bodySchema, fileFields };
}

/** What {@link readResponses} learns of the responses. */
interface ResponseFacts {
  responses: { status: string; response: Response }[];
  /** Whether the success response has a JSON body. */
  responseBody: boolean;
  /** Whether the success response has a body in another media type (a `Blob`). */
  binaryResponse: boolean;
  /** The JSON success body's schema (resolved), when there is one. */
  successSchema: Schema | undefined;
}

/** The responses, resolved; success statuses the runtime knows, with a JSON or a binary body, not both. */
function readResponses(op: Operation, resolve: Resolve, fail: Fail): ResponseFacts {
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => ({ status, response: resolve(r) }));
  let responseBody = false;
  let binaryResponse = false;
  let successSchema: Schema | undefined;
  for (const { status, response } of responses) {
    if (!/^2/.test(status)) continue;
    if (!SUCCESS_STATUSES.has(status)) {
      fail(`success status ${status} is not supported (${[...SUCCESS_STATUSES].join(", ")})`);
    }
    const media = Object.keys(response.content ?? {});
    if (media.length === 0) continue;
    if (media.includes(JSON_MEDIA)) {
      responseBody = true;
      const schema = response.content?.[JSON_MEDIA]?.schema;
      if (successSchema === undefined && schema !== undefined) successSchema = resolve(schema);
    } else {
      const json = media.find((m) => /[/+]json\b/i.test(m));
      if (json !== undefined) {
        fail(`success response ${status} in ${json}: a JSON media type other than application/json is not supported`);
      }
      binaryResponse = true;
    }
  }
  if (responseBody && binaryResponse) fail("success responses mix JSON and binary bodies: not supported");
  return { responses, responseBody, binaryResponse, successSchema };
}

/** The constraints of each parameter and body field (not file fields) that has some. */
function readConstraints(
  spec: OpenApiDocument,
  parameters: Parameter[],
  body: BodyFacts,
  resolve: Resolve,
  fail: Fail,
): Record<string, ParamConstraint> {
  const constraints: Record<string, ParamConstraint> = {};
  for (const p of parameters) {
    const c = constraintOf(spec, p.schema as Schema, resolve, `parameter "${p.name}"`, fail);
    if (c) constraints[p.name] = c;
  }
  for (const [name, raw] of Object.entries(body.bodySchema?.properties ?? {})) {
    if (body.fileFields.includes(name)) continue;
    const c = constraintOf(spec, raw, resolve, `body property "${name}"`, fail);
    if (c) constraints[name] = c;
  }
  return constraints;
}

/** Fails on a `$ref` that is not local, anywhere in the operation or what it references. */
function checkRefs(spec: OpenApiDocument, root: unknown, fail: Fail): void {
  const followed = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$ref === "string") {
      const ref = node.$ref;
      if (!ref.startsWith("#/")) fail(`external $ref ${ref} is not supported (only local #/… references)`);
      if (!followed.has(ref)) {
        followed.add(ref);
        let target: unknown;
        try {
          target = deref(spec, { $ref: ref });
        } catch (error) {
          fail((error as Error).message);
        }
        walk(target);
      }
    }
    for (const [key, child] of Object.entries(node)) {
      // examples are data, not schema: a "$ref" key in them is a value
      if (key === "example" || key === "examples" || key === "default" || key === "enum" || key === "const") continue;
      walk(child);
    }
  };
  walk(root);
}

const typesOf = (type: unknown): string[] =>
  type === undefined ? [] : (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === "string");

/** The types a schema may take (through allOf/anyOf/oneOf; `object` for `properties` without a type); `null` left out. */
function schemaTypes(schema: Schema, resolve: Resolve): Set<string> {
  const out = new Set<string>();
  const visit = (s: Schema, depth: number) => {
    if (depth > 20) return;
    const own = typesOf(s.type).filter((t) => t !== "null");
    for (const t of own) out.add(t);
    if (own.length === 0 && (isObject(s.properties) || isObject(s.additionalProperties))) out.add("object");
    if (own.length === 0 && s.items !== undefined) out.add("array");
    for (const list of [s.allOf, s.anyOf, s.oneOf]) {
      for (const sub of list ?? []) visit(resolve(sub), depth + 1);
    }
  };
  visit(schema, 0);
  return out;
}

/** A multipart field that carries a file: `type: string, format: binary`, or 3.1's `contentEncoding`/`contentMediaType` binary forms. */
export function isFileSchema(schema: Schema): boolean {
  const types = typesOf(schema.type).filter((t) => t !== "null");
  const stringish = types.length === 0 || (types.length === 1 && types[0] === "string");
  if (!stringish) return false;
  if (schema.format === "binary") return true;
  if (schema.contentEncoding === "binary") return true;
  return typeof schema.contentMediaType === "string" && schema.contentEncoding === undefined && types.length <= 1;
}

/** Refuses a parameter the runtime cannot send as declared. */
function checkParameter(spec: OpenApiDocument, p: Parameter, fail: Fail): void {
  const what = `${p.in} parameter "${p.name}"`;
  if (p.in === "cookie") fail(`${what}: in: cookie is not supported`);
  if (p.in !== "path" && p.in !== "query" && p.in !== "header") fail(`${what}: unknown location in: ${p.in}`);
  if (p.content !== undefined) fail(`${what}: content instead of schema is not supported`);
  if (p.schema === undefined) fail(`${what}: no schema`);
  const resolve = <T>(node: T | Reference): T => {
    try {
      return deref(spec, node);
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  const schema = resolve(p.schema as Schema);
  const types = schemaTypes(schema, resolve);
  if (p.in === "path") {
    if (p.style !== undefined && p.style !== "simple") fail(`${what}: style ${p.style} is not supported (only simple)`);
    for (const t of types) {
      if (t !== "string" && t !== "integer" && t !== "number") {
        fail(`${what}: a path parameter of type ${t} is not supported (string, integer or number)`);
      }
    }
  } else if (p.in === "query") {
    if (p.style !== undefined && p.style !== "form") fail(`${what}: style ${p.style} is not supported (only form)`);
    if (p.allowReserved === true) fail(`${what}: allowReserved is not supported`);
    if (types.has("object")) fail(`${what}: an object-valued query parameter is not supported`);
    if (types.has("array")) {
      if (p.explode === false)
        fail(`${what}: explode: false is not supported (arrays are sent as repeated parameters)`);
      const items = schemaTypes(schema.items === undefined ? {} : resolve(schema.items), resolve);
      if (items.has("object") || items.has("array")) {
        fail(`${what}: an array of objects or arrays is not supported in a query`);
      }
    }
  } else {
    if (RESERVED_HEADERS.has(p.name.toLowerCase())) {
      fail(`${what}: the client sets ${p.name} itself; a header parameter of that name is not supported`);
    }
    if (p.style !== undefined && p.style !== "simple") fail(`${what}: style ${p.style} is not supported (only simple)`);
    if (types.has("object")) fail(`${what}: an object-valued header parameter is not supported`);
    if (types.has("array")) {
      const items = schemaTypes(schema.items === undefined ? {} : resolve(schema.items), resolve);
      if (items.has("object") || items.has("array")) {
        fail(`${what}: an array of objects or arrays is not supported in a header`);
      }
    }
  }
}

const CONSTRAINT_TYPES = new Set(["string", "integer", "number", "boolean", "array", "object"]);
const isPrimitive = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * The {@link ParamConstraint} of a schema (`$ref`s resolved; `nullable` and 3.1's `type: [x, "null"]`),
 * or `undefined` when it constrains nothing the runtime checks.
 */
function constraintOf(
  spec: OpenApiDocument,
  raw: Schema | undefined,
  resolve: Resolve,
  what: string,
  fail: Fail,
  depth = 0,
): ParamConstraint | undefined {
  if (raw === undefined || depth > 10) return undefined;
  const s = resolve(raw);
  if (!isObject(s)) return undefined;
  const out: ParamConstraint = {};
  const types = typesOf(s.type);
  let nullable = s.nullable === true || types.includes("null");
  const nonNull = types.filter((t) => t !== "null");
  if (nonNull.length === 1 && CONSTRAINT_TYPES.has(nonNull[0] as string)) {
    out.type = nonNull[0] as ParamConstraint["type"];
  }
  if (Array.isArray(s.enum)) {
    if (s.enum.includes(null)) nullable = true;
    const values = s.enum.filter((v) => v !== null);
    if (values.every(isPrimitive)) out.enum = values;
  } else if ("const" in s) {
    if (s.const === null) nullable = true;
    else if (isPrimitive(s.const)) out.enum = [s.const];
  }
  if (nullable) out.nullable = true;
  if (isCount(s.minLength)) out.minLength = s.minLength;
  if (isCount(s.maxLength)) out.maxLength = s.maxLength;
  if (typeof s.pattern === "string") {
    try {
      new RegExp(s.pattern, "u");
    } catch {
      fail(`${what}: pattern ${JSON.stringify(s.pattern)} is not a valid ECMAScript regular expression (u flag)`);
    }
    out.pattern = s.pattern;
  }
  if (isNumber(s.minimum)) out.minimum = s.minimum;
  if (isNumber(s.maximum)) out.maximum = s.maximum;
  // 3.1: a number; 3.0: a boolean that makes minimum/maximum exclusive
  if (isNumber(s.exclusiveMinimum)) out.exclusiveMinimum = s.exclusiveMinimum;
  else if (s.exclusiveMinimum === true && out.minimum !== undefined) {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  }
  if (isNumber(s.exclusiveMaximum)) out.exclusiveMaximum = s.exclusiveMaximum;
  else if (s.exclusiveMaximum === true && out.maximum !== undefined) {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  }
  if (isCount(s.minItems)) out.minItems = s.minItems;
  if (isCount(s.maxItems)) out.maxItems = s.maxItems;
  if (s.uniqueItems === true) out.uniqueItems = true;
  if (isObject(s.items)) {
    const items = constraintOf(spec, s.items as Schema, resolve, `${what} items`, fail, depth + 1);
    if (items) out.items = items;
  }
  // only `nullable` says nothing to check
  const keys = Object.keys(out);
  if (keys.length === 0 || (keys.length === 1 && keys[0] === "nullable")) return undefined;
  return sortConstraint(out);
}

const CONSTRAINT_ORDER: (keyof ParamConstraint)[] = [
  "type",
  "nullable",
  "enum",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "uniqueItems",
  "items",
];

function sortConstraint(c: ParamConstraint): ParamConstraint {
  const out: Record<string, unknown> = {};
  for (const key of CONSTRAINT_ORDER) if (c[key] !== undefined) out[key] = c[key];
  return out as ParamConstraint;
}

const PAGINATION_KEYS = {
  cursor: { required: ["itemsPath", "cursorParam", "nextCursorPath"], optional: [] },
  has_more: { required: ["itemsPath", "hasMorePath", "afterParam", "idField"], optional: [] },
  page: { required: ["itemsPath", "pageParam"], optional: ["sizeParam", "firstPage", "hasMorePath", "totalPath"] },
} as const satisfies Record<PaginationMeta["style"], { required: readonly string[]; optional: readonly string[] }>;

const DOTTED_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/** Validates an operation's `x-pagination` into a {@link PaginationMeta}. */
function readPagination(raw: unknown, paramNames: string[], fail: Fail): PaginationMeta {
  if (!isObject(raw)) fail("x-pagination must be an object");
  const value = raw as Record<string, unknown>;
  const style = value.style;
  if (typeof style !== "string" || !Object.hasOwn(PAGINATION_KEYS, style)) {
    fail(`x-pagination: unknown style ${JSON.stringify(style)} (expected cursor, has_more or page)`);
  }
  const keys = PAGINATION_KEYS[style as PaginationMeta["style"]];
  const known: readonly string[] = [...keys.required, ...keys.optional];
  for (const key of Object.keys(value)) {
    if (key !== "style" && !known.includes(key)) fail(`x-pagination (${style}): unknown key "${key}"`);
  }
  const out: Record<string, unknown> = { style };
  for (const key of known) {
    const v = value[key];
    if (v === undefined) {
      if ((keys.required as readonly string[]).includes(key)) fail(`x-pagination (${style}): "${key}" is required`);
      continue;
    }
    if (key === "firstPage") {
      if (typeof v !== "number" || !Number.isInteger(v)) fail(`x-pagination (${style}): firstPage must be an integer`);
    } else if (typeof v !== "string" || v === "") {
      fail(`x-pagination (${style}): "${key}" must be a non-empty string`);
    } else if (key.endsWith("Param")) {
      if (!paramNames.includes(v)) fail(`x-pagination (${style}): ${key} "${v}" is not a parameter of the operation`);
    } else if (key.endsWith("Path") && !DOTTED_PATH.test(v)) {
      fail(`x-pagination (${style}): ${key} "${v}" is not a dotted path`);
    }
    out[key] = v;
  }
  return out as PaginationMeta;
}

/**
 * The schema at a dotted path of `schema` (`$ref`s resolved), `null` when the schema says the path
 * does not exist, `undefined` when it cannot tell (composition, additional properties).
 */
export function schemaAtPath(
  spec: OpenApiDocument,
  schema: Schema | undefined,
  path: string,
): Schema | null | undefined {
  let current: Schema | undefined = schema === undefined ? undefined : deref(spec, schema);
  if (!path) return current;
  for (const key of path.split(".")) {
    if (current === undefined) return undefined;
    const props: Record<string, Schema> | undefined = current.properties;
    const next: Schema | undefined = props?.[key];
    if (next !== undefined) {
      current = deref(spec, next);
      continue;
    }
    if (current.allOf || current.anyOf || current.oneOf || props === undefined) return undefined;
    if (current.additionalProperties === true || isObject(current.additionalProperties)) return undefined;
    return null;
  }
  return current;
}
