// Contract tests derived from the specs: for every (operation × declared response) of every
// generated package, the client calls its Prism mock (started by the global setup) and must get
// the spec's example back, or the provider's typed error. No operation is listed by hand.
import { prismUrl } from "@org/testing";
import { describe, expect, test } from "vitest";
import {
  allContractCases,
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

test("one contract test is registered per (operation × declared response) pair", ({ task }) => {
  const suite = task.file.tasks.find((t) => t.name === "contract");
  expect(suite?.type).toBe("suite");
  const registered = suite?.type === "suite" ? suite.tasks.length : 0;
  expect(registered).toBe(cases.length);
  expect(cases.length).toBeGreaterThan(0);
});
