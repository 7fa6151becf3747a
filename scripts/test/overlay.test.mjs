// The Overlay 1.0 applier (scripts/lib/overlay.mjs) and the spec produced with it
// (specs/wooshpay/openapi.yaml = upstream.yaml + overlay.yaml, scripts/lib/spec-build.mjs).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { exec } from "jsonpath-rfc9535";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { applyKeyOrder, applyOverlay, OverlayError } from "../lib/overlay.mjs";
import { buildSpec, produceSpec } from "../lib/spec-build.mjs";

const root = resolve(import.meta.dirname, "../..");
const overlay = (...actions) => ({ overlay: "1.0.0", info: { title: "t", version: "1" }, actions });
const base = () => ({
  paths: {
    "/a": {
      get: {
        tags: ["Old"],
        deprecated: false,
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "Accept", in: "header", required: true, schema: { type: "string" } },
          { name: "Content-Type", in: "header", required: true, schema: { type: "string" } },
        ],
        responses: { 200: { description: "", content: { "application/json": { schema: { $ref: "#/x" } } } } },
      },
    },
  },
  components: { schemas: { A: { type: "object", required: ["a"], properties: { a: { type: "string" } } } } },
});

describe("overlay applier (Overlay 1.0.0)", () => {
  test("a filter selects array entries; remove deletes every one of them, the document is not mutated", () => {
    const doc = base();
    const { doc: out, unmatched } = applyOverlay(
      doc,
      overlay({ target: "$.paths['/a'].get.parameters[?@.in == 'header']", remove: true }),
    );
    expect(out.paths["/a"].get.parameters.map((p) => p.name)).toEqual(["id"]);
    expect(unmatched).toEqual([]);
    expect(doc.paths["/a"].get.parameters).toHaveLength(3);
  });

  test("update merges objects recursively, adds new properties, and replaces arrays and primitives", () => {
    const { doc } = applyOverlay(
      base(),
      overlay(
        {
          target: "$.paths['/a'].get.parameters[?@.name == 'id' && @.in == 'path']",
          update: { schema: { minLength: 1 } },
        },
        { target: "$.components.schemas.A", update: { required: ["a", "b"], properties: { b: { type: "integer" } } } },
        { target: "$.paths['/a'].get", update: { tags: ["files"], summary: "S" } },
      ),
    );
    expect(doc.paths["/a"].get.parameters[0].schema).toEqual({ type: "string", minLength: 1 });
    expect(doc.components.schemas.A).toEqual({
      type: "object",
      required: ["a", "b"],
      properties: { a: { type: "string" }, b: { type: "integer" } },
    });
    expect(doc.paths["/a"].get.tags).toEqual(["files"]);
    expect(doc.paths["/a"].get.summary).toBe("S");
  });

  test("update on a selected array appends the update as one entry", () => {
    const { doc } = applyOverlay(
      base(),
      overlay({ target: "$.paths['/a'].get.parameters", update: { name: "q", in: "query" } }),
    );
    expect(doc.paths["/a"].get.parameters.at(-1)).toEqual({ name: "q", in: "query" });
    expect(doc.paths["/a"].get.parameters).toHaveLength(4);
  });

  test("update on $ merges into the root; remove may select primitives and several names at once", () => {
    const { doc } = applyOverlay(
      base(),
      overlay(
        { target: "$", update: { openapi: "3.1.0" } },
        { target: "$.paths['/a'].get['deprecated','tags']", remove: true },
      ),
    );
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/a"].get)).toEqual(["parameters", "responses"]);
  });

  test("an action that selects nothing is reported and changes nothing", () => {
    const { doc, unmatched } = applyOverlay(
      base(),
      overlay(
        { target: "$.paths['/gone'].get", description: "why", update: { x: 1 } },
        { target: "$.nope", remove: true },
      ),
    );
    expect(doc).toEqual(base());
    expect(unmatched.map((u) => u.index)).toEqual([0, 1]);
    expect(unmatched[0].label).toBe(`action #1 ($.paths['/gone'].get) "why"`);
  });

  test("bad overlays are errors: version, missing fields, an invalid JSONPath, update of a primitive", () => {
    expect(() => applyOverlay(base(), { ...overlay({ target: "$", remove: true }), overlay: "2.0.0" })).toThrow(
      /unsupported overlay version/,
    );
    expect(() => applyOverlay(base(), overlay({ target: "$.a" }))).toThrow(/needs update or remove/);
    expect(() => applyOverlay(base(), overlay({ target: "$.paths[", remove: true }))).toThrow(OverlayError);
    expect(() => applyOverlay(base(), overlay({ target: "$.paths['/a'].get.deprecated", update: { x: 1 } }))).toThrow(
      /selects a boolean/,
    );
  });

  test("x-key-order puts the listed keys first and fails on a stale key", () => {
    const doc = { b: 1, c: 2, a: 3 };
    expect(Object.keys(applyKeyOrder(doc, { $: ["a", "b"] }))).toEqual(["a", "b", "c"]);
    expect(() => applyKeyOrder(doc, { $: ["zz"] })).toThrow(/no key zz/);
  });
});

/** Overlay 1.1.0's merge (arrays concatenated, other mismatches an error), to check ours mean the same. */
function merge11(target, update, at) {
  for (const [k, v] of Object.entries(update)) {
    const t = target[k];
    const obj = (x) => x !== null && typeof x === "object" && !Array.isArray(x);
    if (t === undefined) target[k] = structuredClone(v);
    else if (Array.isArray(t) && Array.isArray(v)) throw new Error(`${at}.${k}: an array merged into an array`);
    else if (obj(t) && obj(v)) merge11(t, v, `${at}.${k}`);
    else if (obj(t) || obj(v) || Array.isArray(t) || Array.isArray(v)) throw new Error(`${at}.${k}: incompatible`);
    else target[k] = v;
  }
}

describe("specs/wooshpay: upstream.yaml + overlay.yaml", () => {
  const dir = join(root, "specs", "wooshpay");
  const doc = parse(readFileSync(join(dir, "overlay.yaml"), "utf8"));

  test("openapi.yaml is exactly what the overlay produces (also what check:drift checks)", () => {
    const { text, unmatched } = produceSpec(root, "wooshpay");
    expect(unmatched).toEqual([]);
    expect(readFileSync(join(dir, "openapi.yaml"), "utf8")).toBe(text);
  });

  test("every action says why it is there", () => {
    for (const action of doc.actions) expect(action.description?.length, action.target).toBeGreaterThan(20);
  });

  test("no update merges an array into an array or changes a value's kind (1.0.0 and 1.1.0 agree)", () => {
    // each update merged with 1.1.0's rules into the nodes it selects at its step must not throw
    let current = parse(readFileSync(join(dir, "upstream.yaml"), "utf8"));
    for (const action of doc.actions) {
      if (action.update !== undefined) {
        for (const node of selectAll(current, action.target)) {
          if (!Array.isArray(node)) merge11(structuredClone(node), action.update, action.target);
        }
      }
      current = applyOverlay(current, { ...doc, actions: [action] }).doc;
    }
  });

  describe("bad input leaves openapi.yaml as it was", () => {
    const tmp = mkdtempSync(join(tmpdir(), "overlay-"));
    mkdirSync(join(tmp, "specs"));
    cpSync(dir, join(tmp, "specs", "wooshpay"), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(tmp, "node_modules"));
    const spec = join(tmp, "specs", "wooshpay", "openapi.yaml");
    const before = readFileSync(spec, "utf8");
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    test("an upstream file that does not parse", () => {
      writeFileSync(join(tmp, "specs/wooshpay/upstream.yaml"), "openapi: 3.0.1\npaths: [unclosed\n");
      expect(() => buildSpec(tmp, "wooshpay")).toThrow(/upstream.yaml does not parse/);
      expect(readFileSync(spec, "utf8")).toBe(before);
    });

    test("an action that no longer selects anything (stale)", () => {
      const upstream = readFileSync(join(dir, "upstream.yaml"), "utf8").replace(
        "  /v1/files/{id}:",
        "  /v1/files/{file}:",
      );
      writeFileSync(join(tmp, "specs/wooshpay/upstream.yaml"), upstream);
      expect(() => buildSpec(tmp, "wooshpay")).toThrow(
        /action\(s\) select nothing in upstream.yaml[\s\S]*#8 \(\$\.paths\['\/v1\/files\/\{id\}'\]/,
      );
      expect(readFileSync(spec, "utf8")).toBe(before);
    });
  });
});

function selectAll(doc, target) {
  const out = [];
  exec(doc, target, (value) => out.push(value));
  return out;
}
