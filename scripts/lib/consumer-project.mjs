// The consumer project the packaging checks type-check: one TypeScript source as `consumer.ts`
// (ESM) and `consumer.cts` (CommonJS), and two configs — `bundler` (no emit) and `node16` (emits
// `out/`). Used by pack-smoke (tarballs) and registry-release (a real registry install).
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The strictest common tsconfig — `strict`, `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess` —
 * with the DOM lib and no ambient `@types`.
 */
export const tsconfig = (compilerOptions, include) =>
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: "es2022",
        lib: ["es2022", "dom"],
        types: [],
        ...compilerOptions,
      },
      include,
    },
    null,
    2,
  );

/** The tsconfig files `writeConsumerProject` writes, to pass to `tsc -p`. */
export const CONSUMER_CONFIGS = ["tsconfig.bundler.json", "tsconfig.node16.json"];

/** Writes `source` as `src/consumer.ts` and `src/consumer.cts`, and the two tsconfigs, into `app` (`src/` must exist). */
export function writeConsumerProject(app, source) {
  writeFileSync(join(app, "src", "consumer.ts"), source);
  writeFileSync(join(app, "src", "consumer.cts"), source);
  writeFileSync(
    join(app, CONSUMER_CONFIGS[0]),
    tsconfig({ module: "esnext", moduleResolution: "bundler", noEmit: true }, ["src/consumer.ts"]),
  );
  writeFileSync(
    join(app, CONSUMER_CONFIGS[1]),
    tsconfig({ module: "node16", moduleResolution: "node16", outDir: "out" }, ["src"]),
  );
}
