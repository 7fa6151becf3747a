import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify("0.0.0-test") },
  resolve: {
    alias: {
      "@org/client-core": src("client-core"),
      "@org/testing": src("testing"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.{ts,mjs}"],
    globalSetup: ["./scripts/test/prism-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ["packages/*/test/**/*.test-d.ts"], tsconfig: "./tsconfig.test.json" },
  },
});
