// Classifies the change between two versions of an OpenAPI 3.x spec by what it does to the typed
// client generated from it: `major` (callers' code or expectations break), `minor` (new capability),
// `patch` (docs only) or `none`. Rules:
//   major  removed operation, parameter, body or field; new required parameter or body field;
//          a request type narrowed (type removed, enum value removed, stricter limits, made required);
//          a response type widened (new type or enum value, field made optional), changed path/method
//   minor  added operation, optional parameter or field; request types widened; response types
//          narrowed; servers, security, defaults changed
//   patch  descriptions, summaries, titles, examples, tags, info
// Works on the parsed documents (3.0 `nullable` and 3.1 type arrays alike), resolving local $refs.
import { deref, HTTP_METHODS } from "@org/codegen";

export const LEVELS = ["none", "patch", "minor", "major"];
/** The higher of two levels. */
export const maxLevel = (a, b) => (LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b);

const DOC_KEYS = new Set([
  "description",
  "summary",
  "title",
  "example",
  "examples",
  "externalDocs",
  "tags",
  "x-codeSamples",
  "$comment",
]);
const SCHEMA_HANDLED = new Set([
  "type",
  "nullable",
  "properties",
  "required",
  "items",
  "enum",
  "const",
  "oneOf",
  "anyOf",
  "allOf",
  "maxLength",
  "minLength",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "maxItems",
  "minItems",
  "pattern",
  "format",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "additionalProperties",
]);

/** JSON with documentation keys removed, for "anything else changed?" comparisons. */
function stripDocs(value) {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !DOC_KEYS.has(k))
        .map(([k, v]) => [k, stripDocs(v)]),
    );
  }
  return value;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const sameIgnoringDocs = (a, b) => same(stripDocs(a), stripDocs(b));

function typeSet(schema) {
  if (schema.const !== undefined) return null;
  if (schema.type === undefined) return null; // any
  const types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  if (schema.nullable === true) types.add("null");
  if (types.has("number")) types.add("integer");
  return types;
}

/** Collects the changes between two specs. */
export function diffSpecs(before, after) {
  const changes = [];
  const add = (level, where, message) => changes.push({ level, where, message });
  const b = (node) => deref(before, node);
  const a = (node) => deref(after, node);

  // request: narrowing breaks callers; response: widening breaks consumers
  function compareSchema(beforeNode, afterNode, where, direction, seen = new Set()) {
    if (!beforeNode || !afterNode) return;
    // recursive schemas: compare each pair of $refs once per direction
    const key = `${beforeNode.$ref ?? ""}|${afterNode.$ref ?? ""}|${direction}`;
    if (beforeNode.$ref && afterNode.$ref && seen.has(key)) return;
    seen.add(key);
    const s0 = b(beforeNode);
    const s1 = a(afterNode);
    const req = direction === "request";
    const narrowed = (what) => add(req ? "major" : "minor", where, `${direction} ${what} narrowed`);
    const widened = (what) => add(req ? "minor" : "major", where, `${direction} ${what} widened`);

    const t0 = typeSet(s0);
    const t1 = typeSet(s1);
    if (t0 && !t1) widened("type (now any)");
    else if (!t0 && t1) narrowed(`type (now ${[...t1].join(" | ")})`);
    else if (t0 && t1) {
      const removed = [...t0].filter((t) => !t1.has(t));
      const added = [...t1].filter((t) => !t0.has(t));
      if (removed.length) narrowed(`type (${removed.join(", ")} removed)`);
      if (added.length) widened(`type (${added.join(", ")} added)`);
    }
    if (!same(s0.const, s1.const)) {
      if (s1.const === undefined) widened("const");
      else narrowed("const");
    }
    if (!same(s0.enum, s1.enum)) {
      const e0 = s0.enum?.map((v) => JSON.stringify(v));
      const e1 = s1.enum?.map((v) => JSON.stringify(v));
      if (!e0) narrowed(`values (enum ${e1.join(", ")})`);
      else if (!e1) widened("values (enum removed)");
      else {
        const removed = e0.filter((v) => !e1.includes(v));
        const added = e1.filter((v) => !e0.includes(v));
        if (removed.length) narrowed(`values (enum ${removed.join(", ")} removed)`);
        if (added.length) widened(`values (enum ${added.join(", ")} added)`);
      }
    }
    for (const [upper, lower] of [
      ["maxLength", "minLength"],
      ["maximum", "minimum"],
      ["maxItems", "minItems"],
      ["exclusiveMaximum", "exclusiveMinimum"],
    ]) {
      for (const [k, stricter] of [
        [upper, (x, y) => y < x],
        [lower, (x, y) => y > x],
      ]) {
        if (same(s0[k], s1[k])) continue;
        const tighter = s1[k] !== undefined && (s0[k] === undefined || stricter(s0[k], s1[k]));
        // limits don't change the generated types: only requests are checked at runtime by the API
        add(
          tighter ? (req ? "major" : "patch") : req ? "minor" : "patch",
          where,
          `${direction} ${k} ${s0[k]} -> ${s1[k]}`,
        );
      }
    }
    if (!same(s0.pattern, s1.pattern))
      add(req && s1.pattern ? "major" : "minor", where, `${direction} pattern changed`);
    if (!same(s0.format, s1.format)) add("minor", where, `${direction} format ${s0.format} -> ${s1.format}`);
    if (!same(s0.default, s1.default))
      add("minor", where, `default ${JSON.stringify(s0.default)} -> ${JSON.stringify(s1.default)}`);
    if (!s0.deprecated && s1.deprecated) add("minor", where, "deprecated");

    // object properties
    const p0 = s0.properties ?? {};
    const p1 = s1.properties ?? {};
    const r0 = new Set(s0.required ?? []);
    const r1 = new Set(s1.required ?? []);
    for (const name of Object.keys(p0)) {
      const at = `${where}.${name}`;
      if (!(name in p1)) {
        add("major", at, `${direction} field removed`);
        continue;
      }
      if (!r0.has(name) && r1.has(name)) add(req ? "major" : "minor", at, `${direction} field made required`);
      if (r0.has(name) && !r1.has(name)) add(req ? "minor" : "major", at, `${direction} field made optional`);
      compareSchema(p0[name], p1[name], at, direction, seen);
    }
    for (const name of Object.keys(p1)) {
      if (name in p0) continue;
      const required = r1.has(name);
      add(
        req && required ? "major" : "minor",
        `${where}.${name}`,
        `${required ? "required" : "optional"} ${direction} field added`,
      );
    }
    if (s0.items || s1.items) {
      if (!s0.items || !s1.items)
        add("major", `${where}[]`, `${direction} array items ${s0.items ? "removed" : "added"}`);
      else compareSchema(s0.items, s1.items, `${where}[]`, direction, seen);
    }
    for (const combiner of ["oneOf", "anyOf", "allOf"]) {
      const c0 = s0[combiner] ?? [];
      const c1 = s1[combiner] ?? [];
      if (!c0.length && !c1.length) continue;
      if (c1.length < c0.length) (combiner === "allOf" ? widened : narrowed)(`${combiner} (variant removed)`);
      if (c1.length > c0.length) (combiner === "allOf" ? narrowed : widened)(`${combiner} (variant added)`);
      for (let i = 0; i < Math.min(c0.length, c1.length); i++) {
        compareSchema(c0[i], c1[i], `${where}<${combiner}[${i}]>`, direction, seen);
      }
    }
    if (!sameIgnoringDocs(s0.additionalProperties, s1.additionalProperties)) {
      add(
        s1.additionalProperties === false ? (req ? "major" : "minor") : "minor",
        where,
        `${direction} additionalProperties changed`,
      );
    }
    const rest = (s) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => !SCHEMA_HANDLED.has(k) && !DOC_KEYS.has(k)));
    if (!same(rest(s0), rest(s1))) add("minor", where, `${direction} schema keywords changed`);
    if (!same(s0.description, s1.description) || !same(s0.title, s1.title) || !same(s0.example, s1.example)) {
      add("patch", where, "schema docs changed");
    }
  }

  const operations = (spec) => {
    const map = new Map();
    for (const [path, item0] of Object.entries(spec.paths ?? {})) {
      const item = deref(spec, item0);
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!op) continue;
        const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(spec, p));
        map.set(op.operationId ?? `${method.toUpperCase()} ${path}`, { path, method, op, params });
      }
    }
    return map;
  };
  const ops0 = operations(before);
  const ops1 = operations(after);
  for (const [id, o0] of ops0) {
    const o1 = ops1.get(id);
    if (!o1) {
      add("major", id, `operation removed (${o0.method.toUpperCase()} ${o0.path})`);
      continue;
    }
    if (o0.path !== o1.path || o0.method !== o1.method) {
      add("major", id, `route changed: ${o0.method.toUpperCase()} ${o0.path} -> ${o1.method.toUpperCase()} ${o1.path}`);
    }
    if (!o0.op.deprecated && o1.op.deprecated) add("minor", id, "operation deprecated");
    for (const k of ["summary", "description", "tags", "externalDocs"]) {
      if (!same(o0.op[k], o1.op[k])) add("patch", id, `operation ${k} changed`);
    }
    if (!same(o0.op.security, o1.op.security)) add("minor", id, "operation security changed");

    // parameters (path + query are method params; headers/cookies too)
    const key = (p) => `${p.in}:${p.name}`;
    const q0 = new Map(o0.params.map((p) => [key(p), p]));
    const q1 = new Map(o1.params.map((p) => [key(p), p]));
    for (const [k, p0] of q0) {
      const p1 = q1.get(k);
      const at = `${id}(${p0.in} ${p0.name})`;
      if (!p1) {
        add("major", at, "parameter removed");
        continue;
      }
      if (!p0.required && p1.required) add("major", at, "parameter made required");
      if (p0.required && !p1.required) add("minor", at, "parameter made optional");
      compareSchema(p0.schema, p1.schema, at, "request");
      if (!same(p0.description, p1.description) || !same(p0.example, p1.example) || !same(p0.examples, p1.examples)) {
        add("patch", at, "parameter docs changed");
      }
      const extra = (p) => stripDocs({ ...p, schema: undefined, required: undefined });
      if (!same(extra(p0), extra(p1))) add("minor", at, "parameter serialization changed");
    }
    for (const [k, p1] of q1) {
      if (q0.has(k)) continue;
      add(
        p1.required || p1.in === "path" ? "major" : "minor",
        `${id}(${p1.in} ${p1.name})`,
        `${p1.required ? "required" : "optional"} parameter added`,
      );
    }

    // request body
    const body0 = o0.op.requestBody ? b(o0.op.requestBody) : undefined;
    const body1 = o1.op.requestBody ? a(o1.op.requestBody) : undefined;
    if (body0 && !body1) add("major", `${id}(body)`, "request body removed");
    if (!body0 && body1) add(body1.required ? "major" : "minor", `${id}(body)`, "request body added");
    if (body0 && body1) {
      if (!body0.required && body1.required) add("major", `${id}(body)`, "request body made required");
      if (!same(body0.description, body1.description)) add("patch", `${id}(body)`, "request body docs changed");
      compareContent(body0.content, body1.content, `${id}(body)`, "request");
    }

    // responses
    const r0 = o0.op.responses ?? {};
    const r1 = o1.op.responses ?? {};
    for (const status of Object.keys(r0)) {
      const at = `${id} -> ${status}`;
      if (!(status in r1)) {
        add(/^2/.test(status) ? "major" : "minor", at, "response removed");
        continue;
      }
      const x0 = b(r0[status]);
      const x1 = a(r1[status]);
      if (!same(x0.description, x1.description)) add("patch", at, "response docs changed");
      if (!sameIgnoringDocs(x0.headers, x1.headers)) add("minor", at, "response headers changed");
      compareContent(x0.content, x1.content, at, "response");
    }
    for (const status of Object.keys(r1)) {
      if (!(status in r0))
        add(
          /^2/.test(status) && Object.keys(r0).some((s) => /^2/.test(s)) ? "major" : "minor",
          `${id} -> ${status}`,
          "response added",
        );
    }
  }
  for (const [id, o1] of ops1) {
    if (!ops0.has(id)) add("minor", id, `operation added (${o1.method.toUpperCase()} ${o1.path})`);
  }

  function compareContent(c0 = {}, c1 = {}, where, direction) {
    for (const type of Object.keys(c0)) {
      if (!(type in c1)) {
        add("major", `${where} ${type}`, `${direction} media type removed`);
        continue;
      }
      compareSchema(c0[type].schema, c1[type].schema, `${where} ${type}`, direction);
      if (!same(c0[type].example, c1[type].example) || !same(c0[type].examples, c1[type].examples)) {
        add("patch", `${where} ${type}`, "example changed");
      }
    }
    for (const type of Object.keys(c1)) {
      if (!(type in c0)) add("minor", `${where} ${type}`, `${direction} media type added`);
    }
  }

  // document level
  if (!same(before.servers, after.servers))
    add("patch", "servers", "servers changed (clients keep their own default base URL)");
  if (
    !sameIgnoringDocs(before.security, after.security) ||
    !sameIgnoringDocs(before.components?.securitySchemes, after.components?.securitySchemes)
  ) {
    add("minor", "security", "security requirements or schemes changed");
  }
  if (
    !same(before.info, after.info) ||
    !same(before.tags, after.tags) ||
    !same(before.externalDocs, after.externalDocs)
  ) {
    add("patch", "info", "info/tags changed");
  }
  // anything not covered above (e.g. an unused component) still counts as a change
  if (!changes.length && !same(before, after)) add("patch", "spec", "other change (not visible in any operation)");
  return changes;
}

/** The overall level of a list of changes. */
export function classify(changes) {
  return changes.reduce((level, c) => maxLevel(level, c.level), "none");
}
