// The contract suite is derived from the specs: its size is the number of (operation × declared
// response) pairs, and adding an operation to a spec adds its cases with no new test code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import {
  allContractCases,
  contractCases,
  countResponsePairs,
  generatedPackages,
} from "../../packages/testing/src/contract.js";

const packages = generatedPackages();
const scratch = mkdtempSync(join(tmpdir(), "contract-count-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("contract test count", () => {
  test("equals the number of (operation × declared response) pairs across specs", () => {
    const pairs = packages.reduce((sum, pkg) => sum + countResponsePairs(pkg.spec), 0);
    expect(packages.length).toBeGreaterThanOrEqual(3);
    expect(pairs).toBeGreaterThan(0);
    expect(allContractCases(packages)).toHaveLength(pairs);
  });

  test.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    "%s: a dummy operation added to a copy of its spec adds one case per declared response",
    (_name, pkg) => {
      const before = contractCases(pkg.spec, pkg);
      const spec = parse(readFileSync(pkg.spec, "utf8"), { merge: true, maxAliasCount: -1 });
      const response = (description: string) => ({
        description,
        content: { "application/json": { schema: { type: "object" }, example: { ok: true } } },
      });
      spec.paths["/contract-count-dummy/{dummyId}"] = {
        get: {
          operationId: "dummies.retrieve",
          parameters: [{ name: "dummyId", in: "path", required: true, schema: { type: "string" }, example: "d1" }],
          responses: { "200": response("ok"), "404": response("missing"), "429": response("slow down") },
        },
      };
      const copy = join(scratch, `${pkg.name.replace(/\W/g, "_")}.yaml`);
      writeFileSync(copy, stringify(spec));

      const after = contractCases(copy, pkg);
      expect(countResponsePairs(copy)).toBe(countResponsePairs(pkg.spec) + 3);
      expect(after).toHaveLength(before.length + 3);
      const added = after.filter((c) => c.operationId === "dummies.retrieve");
      expect(added.map((c) => [c.status, c.kind])).toEqual([
        [200, "success"],
        [404, "error"],
        [429, "error"],
      ]);
      expect(added[0]?.params).toEqual({ dummyId: "d1" });
      expect(added[0]?.example).toEqual({ ok: true });
    },
  );
});
