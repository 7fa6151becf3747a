// Our spec against the provider's own definition (specs/<provider>/upstream.*), operation by
// operation: for every operation we have, matched by method + path (path parameter names ignored:
// upstream operationIds and parameter names differ from ours), lists where the two differ — missing
// or extra parameters, bodies, responses and fields, types, required, nullable, enums, limits,
// patterns, formats. Each difference has a stable `key` (it names the values too), which
// specs/<provider>/deviations.yaml records with the reason the difference is intended.
// Works on parsed documents, OpenAPI 3.0 (`nullable`) and 3.1 (type arrays) alike; local $refs resolved.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const LIMITS = [
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
];
const show = (v) => (v === undefined ? "absent" : JSON.stringify(v));

/** Resolves a local `$ref` (repeatedly); anything else is returned as it is. */
function deref(doc, node, seen = new Set()) {
  if (!node || typeof node !== "object" || typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) return node;
  if (seen.has(node.$ref)) return {};
  seen.add(node.$ref);
  const target = node.$ref
    .slice(2)
    .split("/")
    .map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((at, key) => at?.[key], doc);
  return deref(doc, target ?? {}, seen);
}

/**
 * A schema with its `allOf` members folded in (properties, required, type and keywords), so that a
 * composition and the flat object it amounts to compare equal.
 */
function flatten(doc, schema, depth = 0) {
  if (!schema?.allOf || depth > 20) return schema;
  const { allOf, ...own } = schema;
  const out = {};
  for (const part of [...allOf.map((m) => flatten(doc, deref(doc, m), depth + 1)), own]) {
    for (const [k, v] of Object.entries(part ?? {})) {
      if (k === "properties") out.properties = { ...out.properties, ...v };
      else if (k === "required") out.required = [...new Set([...(out.required ?? []), ...v])];
      else if (part === own || !(k in out)) out[k] = v;
    }
  }
  return out;
}

/** The types a schema allows, without `null`; and whether it allows `null`. */
function typesOf(schema) {
  const list = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const nullable = list.includes("null") || schema.nullable === true || (schema.enum ?? []).includes(null);
  return { types: list.filter((t) => t !== "null").sort(), nullable };
}

/** `METHOD /path/{}` → { method, path, op, params } of a document. */
function operations(doc) {
  const map = new Map();
  for (const [path, item0] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, item0);
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(doc, p));
      map.set(`${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`, { method, path, op, params });
    }
  }
  return map;
}

/**
 * The differences between our document and upstream's, for the operations we have.
 * @returns {{ key: string, operation: string, message: string }[]}
 */
export function compareSpecs(ours, upstream) {
  const out = [];
  const upOps = operations(upstream);
  for (const [route, mine] of operations(ours)) {
    const label = `${mine.method.toUpperCase()} ${mine.path}`;
    const name = mine.op.operationId ? `${mine.op.operationId} (${label})` : label;
    const add = (where, message) =>
      out.push({ key: `${label} ${where}: ${message}`, operation: name, message: `${where}: ${message}` });
    const theirs = upOps.get(route);
    if (!theirs) {
      add("operation", "not in upstream");
      continue;
    }

    function schema(a0, b0, where, seen = new Set()) {
      const a = flatten(ours, deref(ours, a0) ?? {});
      const b = flatten(upstream, deref(upstream, b0) ?? {});
      const pair = `${a0?.$ref ?? ""}|${b0?.$ref ?? ""}`;
      if (a0?.$ref && b0?.$ref) {
        if (seen.has(pair)) return;
        seen = new Set(seen).add(pair);
      }
      const ta = typesOf(a);
      const tb = typesOf(b);
      if (ta.types.join("|") !== tb.types.join("|")) {
        add(where, `type: ours ${ta.types.join(" | ") || "any"}, upstream ${tb.types.join(" | ") || "any"}`);
      }
      if (ta.nullable !== tb.nullable) add(where, `nullable: ours ${ta.nullable}, upstream ${tb.nullable}`);
      const enums = (s) =>
        s.enum
          ? [...s.enum]
              .filter((v) => v !== null)
              .map((v) => JSON.stringify(v))
              .sort()
          : undefined;
      const ea = enums(a);
      const eb = enums(b);
      if (JSON.stringify(ea) !== JSON.stringify(eb)) {
        add(
          where,
          `enum: ours ${ea ? `[${ea.join(", ")}]` : "absent"}, upstream ${eb ? `[${eb.join(", ")}]` : "absent"}`,
        );
      }
      if (JSON.stringify(a.const) !== JSON.stringify(b.const))
        add(where, `const: ours ${show(a.const)}, upstream ${show(b.const)}`);
      for (const k of [...LIMITS, "pattern", "format"]) {
        if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
          add(where, `${k}: ours ${show(a[k])}, upstream ${show(b[k])}`);
      }
      const pa = a.properties ?? {};
      const pb = b.properties ?? {};
      const ra = new Set(a.required ?? []);
      const rb = new Set(b.required ?? []);
      for (const p of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
        const at = `${where}.${p}`;
        if (!(p in pb)) add(at, "field not in upstream");
        else if (!(p in pa)) add(at, "upstream field missing");
        else {
          if (ra.has(p) !== rb.has(p)) add(at, `required: ours ${ra.has(p)}, upstream ${rb.has(p)}`);
          schema(pa[p], pb[p], at, seen);
        }
      }
      for (const p of new Set([...ra, ...rb])) {
        if (!(p in pa) && !(p in pb) && ra.has(p) !== rb.has(p)) {
          add(`${where}.${p}`, `required: ours ${ra.has(p)}, upstream ${rb.has(p)}`);
        }
      }
      if (a.items || b.items) {
        if (!a.items || !b.items)
          add(`${where}[]`, `items: ours ${a.items ? "set" : "absent"}, upstream ${b.items ? "set" : "absent"}`);
        else schema(a.items, b.items, `${where}[]`, seen);
      }
      for (const c of ["oneOf", "anyOf"]) {
        const ca = a[c] ?? [];
        const cb = b[c] ?? [];
        if (ca.length !== cb.length) add(where, `${c}: ours ${ca.length} variants, upstream ${cb.length}`);
        for (let i = 0; i < Math.min(ca.length, cb.length); i++) schema(ca[i], cb[i], `${where}<${c}[${i}]>`, seen);
      }
    }

    function content(ca = {}, cb = {}, where) {
      for (const type of new Set([...Object.keys(ca), ...Object.keys(cb)])) {
        if (!(type in cb)) add(`${where} ${type}`, "media type not in upstream");
        else if (!(type in ca)) add(`${where} ${type}`, "upstream media type missing");
        else schema(ca[type].schema, cb[type].schema, `${where} ${type} body`);
      }
    }

    // parameters, by location + name (path parameters by position: their names differ)
    const pkey = (p, list) =>
      p.in === "path" ? `path #${list.filter((x) => x.in === "path").indexOf(p) + 1}` : `${p.in} ${p.name}`;
    const qa = new Map(mine.params.map((p, _i, l) => [pkey(p, l), p]));
    const qb = new Map(theirs.params.map((p, _i, l) => [pkey(p, l), p]));
    for (const k of new Set([...qa.keys(), ...qb.keys()])) {
      const pa = qa.get(k);
      const pb = qb.get(k);
      const at = `parameter ${pa ? `${pa.in} ${pa.name}` : `${pb.in} ${pb.name}`}`;
      if (!pb) add(at, "not in upstream");
      else if (!pa) add(at, "upstream parameter missing");
      else {
        if (!!pa.required !== !!pb.required) add(at, `required: ours ${!!pa.required}, upstream ${!!pb.required}`);
        schema(pa.schema, pb.schema, at);
      }
    }
    const ba = mine.op.requestBody ? deref(ours, mine.op.requestBody) : undefined;
    const bb = theirs.op.requestBody ? deref(upstream, theirs.op.requestBody) : undefined;
    if (ba && !bb) add("request", "body not in upstream");
    else if (!ba && bb) add("request", "upstream body missing");
    else if (ba && bb) {
      if (!!ba.required !== !!bb.required) add("request", `required: ours ${!!ba.required}, upstream ${!!bb.required}`);
      content(ba.content, bb.content, "request");
    }
    const ra = mine.op.responses ?? {};
    const rb = theirs.op.responses ?? {};
    for (const status of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!(status in rb)) add(`response ${status}`, "not in upstream");
      else if (!(status in ra)) add(`response ${status}`, "upstream response missing");
      else content(deref(ours, ra[status]).content, deref(upstream, rb[status]).content, `response ${status}`);
    }
  }
  return out;
}

const parseFile = (file) => parse(readFileSync(file, "utf8"), { merge: true, maxAliasCount: -1 });

/** Providers with an upstream definition: `specs/<provider>/upstream.{yaml,yml,json}`. */
export function upstreamProviders(root) {
  return readdirSync(join(root, "specs"))
    .filter((p) => upstreamFile(root, p))
    .sort();
}

/** The upstream definition of a provider (absolute path), or undefined. */
export function upstreamFile(root, provider) {
  return ["upstream.yaml", "upstream.yml", "upstream.json"]
    .map((f) => join(root, "specs", provider, f))
    .find((f) => existsSync(f));
}

/**
 * The recorded deviations of a provider (specs/<provider>/deviations.yaml): groups of
 * `{ reason, differences: [key…], matches: [regex…] }`; a regex stands for every difference whose key
 * it matches (the same deviation at many places, e.g. a limit on every `externalId`).
 */
export function readDeviations(root, provider) {
  const file = join(root, "specs", provider, "deviations.yaml");
  if (!existsSync(file)) return [];
  return (parseFile(file)?.deviations ?? []).map((group) => ({
    reason: String(group.reason ?? ""),
    differences: group.differences ?? [],
    matches: (group.matches ?? []).map((m) => ({ source: m, regex: new RegExp(m) })),
  }));
}

/**
 * Compares a provider's spec with its upstream and with its recorded deviations.
 * @returns {{ differences: { key, operation, message, reason?: string }[], unrecorded: object[], unexplained: object[], stale: string[] }}
 *   unrecorded: differences no group records; unexplained: recorded without a reason (or "TODO");
 *   stale: recorded keys or patterns that no current difference matches.
 */
export function checkProvider(root, provider) {
  const ours = parseFile(join(root, "specs", provider, "openapi.yaml"));
  const upstream = parseFile(upstreamFile(root, provider));
  const groups = readDeviations(root, provider);
  const used = new Set();
  const differences = compareSpecs(ours, upstream).map((d) => {
    for (const group of groups) {
      const exact = group.differences.find((k) => k === d.key);
      const pattern = group.matches.find((m) => m.regex.test(d.key));
      if (exact !== undefined || pattern) {
        used.add(exact ?? `/${pattern.source}/`);
        return { ...d, reason: group.reason };
      }
    }
    return d;
  });
  const recorded = groups.flatMap((g) => [...g.differences, ...g.matches.map((m) => `/${m.source}/`)]);
  return {
    differences,
    unrecorded: differences.filter((d) => d.reason === undefined),
    unexplained: differences.filter((d) => d.reason !== undefined && (!d.reason.trim() || /\bTODO\b/.test(d.reason))),
    stale: recorded.filter((k) => !used.has(k)),
  };
}
