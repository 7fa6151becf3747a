#!/usr/bin/env node
// Regenerates client packages from their specs:
//   node scripts/generate.mjs              every package whose package.json has an "openapi" field
//   node scripts/generate.mjs <dir|name>…  only those packages (a directory, or a provider name such as "coze")
// First, a spec produced from an upstream definition + an overlay (specs/<provider>/overlay.yaml, e.g.
// Wooshpay's) is produced again (scripts/lib/spec-build.mjs); a failure there writes nothing.
// Then writes <package>/src/generated/schema.ts (openapi-typescript), types.ts (named types) and
// operations.ts (resource methods). The generator is @org/codegen (packages/codegen, built first if
// needed); it knows no provider: everything comes from the spec and the package's "openapi" field.
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCodegen } from "./lib/codegen.mjs";
import { buildSpec, overlayProviders } from "./lib/spec-build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);

try {
  const { generate, generatedPackages } = await loadCodegen();
  const selected = (provider) =>
    !args.length ||
    generatedPackages(root).some(
      (t) =>
        basename(dirname(t.spec)) === provider &&
        args.some((a) => resolve(process.cwd(), a) === t.dir || a === provider || a === t.name),
    );
  for (const provider of overlayProviders(root).filter(selected)) console.log(buildSpec(root, provider));
  await generate(args, { root, log: (line) => console.log(line) });
} catch (error) {
  console.error(`generate: ${error.message}`);
  process.exit(1);
}
