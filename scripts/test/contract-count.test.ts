// The contract suite is derived from the specs: one case per (operation × declared response), and
// adding an operation to a spec adds its cases with no new test code. The harness's cases are
// checked here against an enumeration made by this file alone, straight from each spec's YAML (no
// code of the harness or of scripts/lib), and against known totals per spec.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import {
  allContractCases,
  contractCases,
  generatedPackages,
  unauthenticatedCases,
} from "../../packages/testing/src/contract.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const packages = generatedPackages();
const scratch = mkdtempSync(join(tmpdir(), "contract-count-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Operations and (operation × declared response) pairs of each spec, as of this commit. A
 * regression anchor: update it when a spec gains or loses an operation or a response on purpose.
 */
const KNOWN: Record<string, { operations: number; pairs: number }> = {
  "specs/cognite/openapi.yaml": { operations: 15, pairs: 75 },
  "specs/coze/openapi.yaml": { operations: 4, pairs: 23 },
  "specs/wooshpay/openapi.yaml": { operations: 2, pairs: 13 },
};

type YamlNode = Record<string, unknown>;

/** What one contract case must be, as this file reads the spec. */
interface Pair {
  title: string;
  operationId: string;
  route: string;
  status: number;
  kind: "success" | "error";
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Follows local `$ref`s (JSON pointers into the document) until a node that is not a reference. */
function resolve(doc: YamlNode, node: YamlNode, seen: string[] = []): YamlNode {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  expect(ref.startsWith("#/"), `only local $refs: ${ref}`).toBe(true);
  expect(seen, `circular $ref ${ref}`).not.toContain(ref);
  const target = ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((at, key) => (at as YamlNode | undefined)?.[key], doc);
  expect(target, `unresolved $ref ${ref}`).toBeTypeOf("object");
  return resolve(doc, target as YamlNode, [...seen, ref]);
}

/** The spec's operations (path items and responses `$ref`s resolved) and their declared responses. */
function enumerate(specFile: string, pkgName: string): { operations: string[]; pairs: Pair[]; secured: string[] } {
  const doc = parse(readFileSync(specFile, "utf8"), { merge: true, maxAliasCount: -1 }) as YamlNode;
  const operations: string[] = [];
  const pairs: Pair[] = [];
  const secured: string[] = [];
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Record<string, YamlNode>)) {
    const item = resolve(doc, rawItem);
    for (const method of METHODS) {
      const op = item[method] as YamlNode | undefined;
      if (!op) continue;
      const operationId = String(op.operationId);
      operations.push(operationId);
      if (((op.security ?? doc.security ?? []) as unknown[]).length > 0) secured.push(operationId);
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, YamlNode>)) {
        expect(resolve(doc, response).description, `${operationId} → ${status}: a response`).toBeTypeOf("string");
        pairs.push({
          title: `${pkgName} ${operationId} → ${status}`,
          operationId,
          route: `${method.toUpperCase()} ${path}`,
          status: Number(status),
          kind: /^2\d\d$/.test(status) ? "success" : "error",
        });
      }
    }
  }
  return { operations, pairs, secured };
}

const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title);
const pairOf = ({ title, operationId, route, status, kind }: Pair): Pair => ({
  title,
  operationId,
  route,
  status,
  kind,
});

describe("contract cases", () => {
  test("the specs have the known numbers of operations and (operation × declared response) pairs", () => {
    const counted = Object.fromEntries(
      packages.map((pkg) => {
        const { operations, pairs } = enumerate(pkg.spec, pkg.name);
        return [relative(root, pkg.spec), { operations: operations.length, pairs: pairs.length }];
      }),
    );
    expect(counted).toEqual(KNOWN);
    const total = Object.values(KNOWN).reduce((sum, spec) => sum + spec.pairs, 0);
    expect(allContractCases(packages)).toHaveLength(total);
  });

  test.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s: one case per (operation × declared response) of the spec, with its title, operationId, route and status",
    (_name, pkg) => {
      const expected = enumerate(pkg.spec, pkg.name).pairs.sort(byTitle);
      const cases = contractCases(pkg.spec, pkg);
      expect(cases.map(pairOf).sort(byTitle)).toEqual(expected);
      expect(new Set(cases.map((c) => c.title)).size, "titles are unique").toBe(cases.length);
    },
  );

  test.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s: one negative case per operation that requires credentials",
    (_name, pkg) => {
      const { secured } = enumerate(pkg.spec, pkg.name);
      expect(secured.length).toBeGreaterThan(0);
      const negative = unauthenticatedCases([pkg]);
      expect(negative.map((c) => c.title).sort()).toEqual(
        secured.map((id) => `${pkg.name} ${id} without credentials → 401`).sort(),
      );
    },
  );

  test.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s: a dummy operation added to a copy of its spec adds one case per declared response",
    (_name, pkg) => {
      const before = contractCases(pkg.spec, pkg);
      const spec = parse(readFileSync(pkg.spec, "utf8"), { merge: true, maxAliasCount: -1 });
      const response = (description: string, example: unknown) => ({
        description,
        content: { "application/json": { schema: { type: "object" }, example } },
      });
      spec.components ??= {};
      spec.components.responses ??= {};
      spec.components.responses.ContractCountMissing = response("missing", { error: "missing" });
      spec.paths["/contract-count-dummy/{dummyId}"] = {
        get: {
          operationId: "dummies.retrieve",
          parameters: [{ name: "dummyId", in: "path", required: true, schema: { type: "string" }, example: "d1" }],
          responses: {
            "200": response("ok", { ok: true }),
            "404": { $ref: "#/components/responses/ContractCountMissing" },
            "429": response("slow down", { error: "slow" }),
          },
        },
      };
      const copy = join(scratch, `${pkg.name.replace(/\W/g, "_")}.yaml`);
      writeFileSync(copy, stringify(spec));

      const after = contractCases(copy, pkg);
      expect(enumerate(copy, pkg.name).pairs).toHaveLength(enumerate(pkg.spec, pkg.name).pairs.length + 3);
      expect(after).toHaveLength(before.length + 3);
      expect(after.map(pairOf).sort(byTitle)).toEqual(enumerate(copy, pkg.name).pairs.sort(byTitle));
      const added = after.filter((c) => c.operationId === "dummies.retrieve");
      expect(added.map((c) => [c.title, c.route, c.status, c.kind])).toEqual([
        [`${pkg.name} dummies.retrieve → 200`, "GET /contract-count-dummy/{dummyId}", 200, "success"],
        [`${pkg.name} dummies.retrieve → 404`, "GET /contract-count-dummy/{dummyId}", 404, "error"],
        [`${pkg.name} dummies.retrieve → 429`, "GET /contract-count-dummy/{dummyId}", 429, "error"],
      ]);
      expect(added[0]?.params).toEqual({ dummyId: "d1" });
      expect(added.map((c) => c.example)).toEqual([{ ok: true }, { error: "missing" }, { error: "slow" }]);
    },
  );
});
