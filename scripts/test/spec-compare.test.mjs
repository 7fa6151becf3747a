// The upstream comparison (scripts/lib/spec-compare.mjs): what it reports, and the deviation check
// (unrecorded, stale, without a reason) on a temporary specs/ folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { checkProvider, compareSpecs } from "../lib/spec-compare.mjs";

const spec = (file, params = [], extra = {}) => ({
  openapi: "3.1.0",
  paths: {
    "/files/{id}": {
      get: {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, ...params],
        responses: { 200: { content: { "application/json": { schema: { $ref: "#/components/schemas/File" } } } } },
      },
    },
    ...extra,
  },
  components: { schemas: { File: file } },
});
const upstreamFile = {
  type: "object",
  properties: {
    id: { type: "string" },
    url: { type: "string", nullable: true },
    kind: { type: "string", enum: ["a", "b"] },
    name: { type: "string", maxLength: 10, pattern: "^x" },
    gone: { type: "string" },
  },
};
const upstream = spec(upstreamFile);
upstream.openapi = "3.0.3";
// operationIds and path parameter names differ: matched by method + path
upstream.paths["/files/{file}"] = upstream.paths["/files/{id}"];
delete upstream.paths["/files/{id}"];

describe("compareSpecs", () => {
  test("lists missing and extra fields, types, required, nullable, enums, limits and patterns", () => {
    const ours = spec(
      {
        allOf: [
          { type: "object", required: ["id"], properties: { id: { type: "string" } } },
          {
            properties: {
              url: { type: "string" },
              kind: { type: "string", enum: ["a"] },
              name: { type: "integer", maxLength: 12 },
              extra: { type: "string" },
            },
          },
        ],
      },
      [{ name: "limit", in: "query", schema: { type: "integer" } }],
      { "/other": { post: { operationId: "other.create", responses: {} } } },
    );
    const keys = compareSpecs(ours, upstream).map((d) => d.key);
    expect(keys).toEqual([
      "GET /files/{id} parameter query limit: not in upstream",
      "GET /files/{id} response 200 application/json body.id: required: ours true, upstream false",
      "GET /files/{id} response 200 application/json body.url: nullable: ours false, upstream true",
      'GET /files/{id} response 200 application/json body.kind: enum: ours ["a"], upstream ["a", "b"]',
      "GET /files/{id} response 200 application/json body.name: type: ours integer, upstream string",
      "GET /files/{id} response 200 application/json body.name: maxLength: ours 12, upstream 10",
      'GET /files/{id} response 200 application/json body.name: pattern: ours absent, upstream "^x"',
      "GET /files/{id} response 200 application/json body.extra: field not in upstream",
      "GET /files/{id} response 200 application/json body.gone: upstream field missing",
      "POST /other operation: not in upstream",
    ]);
  });

  test("equal specs (3.0 nullable vs 3.1 type arrays, allOf vs flat) have no difference", () => {
    const ours = spec({
      type: "object",
      properties: {
        id: { type: "string" },
        url: { type: ["string", "null"] },
        kind: { type: "string", enum: ["b", "a"] },
        name: { type: "string", maxLength: 10, pattern: "^x" },
        gone: { type: "string" },
      },
    });
    expect(compareSpecs(ours, upstream)).toEqual([]);
  });
});

describe("checkProvider: deviations.yaml", () => {
  const root = mkdtempSync(join(tmpdir(), "spec-compare-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "specs", "demo");
  mkdirSync(dir, { recursive: true });
  const ours = spec({ ...upstreamFile, properties: { ...upstreamFile.properties, url: { type: "string" } } });
  writeFileSync(join(dir, "openapi.yaml"), stringify(ours));
  writeFileSync(join(dir, "upstream.yaml"), stringify(upstream));
  const key = "GET /files/{id} response 200 application/json body.url: nullable: ours false, upstream true";
  const deviations = (groups) => writeFileSync(join(dir, "deviations.yaml"), stringify({ deviations: groups }));

  test("an unrecorded difference fails; recorded with a reason (by key or pattern) it passes", () => {
    deviations([]);
    expect(checkProvider(root, "demo").unrecorded.map((d) => d.key)).toEqual([key]);
    deviations([{ reason: "The API never sends null.", differences: [key] }]);
    expect(checkProvider(root, "demo")).toMatchObject({ unrecorded: [], unexplained: [], stale: [] });
    deviations([{ reason: "The API never sends null.", matches: ["body\\.url: nullable"] }]);
    expect(checkProvider(root, "demo")).toMatchObject({ unrecorded: [], unexplained: [], stale: [] });
  });

  test("a recorded difference that no longer exists is stale; a TODO reason is unexplained", () => {
    deviations([
      { reason: "TODO", differences: [key] },
      { reason: "Old.", differences: ["GET /files/{id} gone: not in upstream"], matches: ["nothing matches"] },
    ]);
    const result = checkProvider(root, "demo");
    expect(result.unexplained.map((d) => d.key)).toEqual([key]);
    expect(result.stale).toEqual(["GET /files/{id} gone: not in upstream", "/nothing matches/"]);
  });
});
