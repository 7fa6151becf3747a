// Vitest global setup: one Prism mock per spec, on ports the OS picks, stopped when the run ends
// (also when tests fail). Tests read the URLs with `prismUrl(packageName)` from @org/testing.

import { generatedPackages } from "@org/codegen";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM helpers without types
import { startPrism } from "../lib/prism.mjs";

interface Started {
  url: string;
  stop(): Promise<void>;
}

export default async function setup(project: TestProject) {
  const packages: { name: string; spec: string }[] = generatedPackages();
  const servers: Started[] = [];
  const stopAll = () => Promise.all(servers.map((s) => s.stop()));
  try {
    const started = await Promise.all(packages.map((p) => startPrism(p.spec) as Promise<Started>));
    servers.push(...started);
  } catch (error) {
    await stopAll();
    throw error;
  }
  project.provide("prism", Object.fromEntries(packages.map((p, i) => [p.name, servers[i]?.url ?? ""])));
  return async () => {
    await stopAll();
  };
}
