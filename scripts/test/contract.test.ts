// Contract tests derived from the specs: for every (operation × declared response) of every
// generated package, the client calls its Prism mock (started by the global setup) and must get
// the spec's example back, or the provider's typed error. No operation is listed by hand.
import { readFileSync } from "node:fs";
import { json, prismUrl, serve } from "@org/testing";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  allContractCases,
  generatedPackages,
  runContractCase,
  runUnauthenticatedCase,
  unauthenticatedCases,
} from "../../packages/testing/src/contract.js";

const cases = allContractCases();
const negative = unauthenticatedCases();

describe("contract", () => {
  test.each(cases.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    await runContractCase(c, prismUrl(c.pkg.name));
  });
});

describe("contract without credentials", () => {
  test.each(negative.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    await runUnauthenticatedCase(c, prismUrl(c.pkg.name));
  });
});

type YamlNode = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * `<package> <operationId> → <status>` for every response every operation of every spec declares,
 * read here from the YAML, not by the harness (contract-count.test.ts compares the two in full).
 */
function declaredResponses(): string[] {
  return generatedPackages().flatMap((pkg) => {
    const doc = parse(readFileSync(pkg.spec, "utf8"), { merge: true, maxAliasCount: -1 }) as YamlNode;
    const deref = (node: YamlNode): YamlNode => {
      if (typeof node.$ref !== "string") return node;
      const keys = node.$ref.slice(2).split("/");
      return deref(keys.reduce<YamlNode>((at, key) => at[key] as YamlNode, doc));
    };
    const titles: string[] = [];
    for (const item of Object.values((doc.paths ?? {}) as Record<string, YamlNode>)) {
      for (const method of METHODS) {
        const op = deref(item)[method] as YamlNode | undefined;
        for (const status of Object.keys((op?.responses ?? {}) as YamlNode)) {
          titles.push(`${pkg.name} ${op?.operationId} → ${status}`);
        }
      }
    }
    return titles;
  });
}

test("every declared response of every spec has a contract test that runs", ({ task }) => {
  const suite = task.file.tasks.find((t) => t.name === "contract");
  const tests = suite?.type === "suite" ? suite.tasks : [];
  expect(tests.map((t) => t.name).sort()).toEqual(declaredResponses().sort());
  expect(tests.filter((t) => t.mode !== "run").map((t) => t.name)).toEqual([]);
});

describe("contract harness", () => {
  /** The success case of the same operation of the same package. */
  const successOf = (c: { pkg: { name: string }; operationId: string } | undefined) =>
    cases.find((s) => s.pkg.name === c?.pkg.name && s.operationId === c.operationId && s.kind === "success");
  /** A server that answers every request 200 with `body`: calls that should fail succeed. */
  const succeeding = (body: unknown) => serve((_req, res) => json(res, 200, body));

  test.each(generatedPackages().map((pkg) => [pkg.name, pkg] as const))(
    "%s: an error case whose call resolves fails, saying the call resolved",
    async (name) => {
      const errorCase = cases.find((c) => c.pkg.name === name && c.kind === "error");
      const success = successOf(errorCase);
      if (!errorCase || !success) throw new Error(`${name} has no operation with both a success and an error case`);
      const server = await succeeding(success.example);
      await expect(runContractCase(errorCase, server.url)).rejects.toThrow(
        `${errorCase.title}: expected the call to be rejected, but it resolved with`,
      );
      expect(server.requests).toHaveLength(1);
    },
  );

  test.each(generatedPackages().map((pkg) => [pkg.name, pkg] as const))(
    "%s: a call without credentials that resolves fails, saying the call resolved",
    async (name) => {
      const unauthenticated = negative.find((c) => c.pkg.name === name);
      const success = successOf(unauthenticated);
      if (!unauthenticated || !success) throw new Error(`${name} has no operation that requires credentials`);
      const server = await succeeding(success.example);
      await expect(runUnauthenticatedCase(unauthenticated, server.url)).rejects.toThrow(
        `${unauthenticated.title}: expected the call to be rejected, but it resolved with`,
      );
      expect(server.requests).toHaveLength(1);
    },
  );
});
