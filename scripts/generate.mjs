#!/usr/bin/env node
// Regenerates client packages from their specs:
//   node scripts/generate.mjs              every package whose package.json has an "openapi" field
//   node scripts/generate.mjs <dir|name>…  only those packages (a directory, or a provider name such as "coze")
// Writes <package>/src/generated/schema.ts (openapi-typescript), types.ts (named types) and
// operations.ts (resource methods). The generator is @org/codegen (packages/codegen, built first if
// needed); it knows no provider: everything comes from the spec and the package's "openapi" field.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCodegen } from "./lib/codegen.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

try {
  const { generate } = await loadCodegen();
  await generate(process.argv.slice(2), { root, log: (line) => console.log(line) });
} catch (error) {
  console.error(`generate: ${error.message}`);
  process.exit(1);
}
