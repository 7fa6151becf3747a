import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig, type Plugin } from "vitest/config";

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const nodeTransport = fileURLToPath(new URL("./packages/client-core/src/transport-node.ts", import.meta.url));

/**
 * What the `node` build of @org/client-core does (scripts/build-package.mjs): its `./transport.js`
 * is the keep-alive node:http transport. Without it, tests run the fetch transport (the build
 * every other runtime gets).
 */
const nodeBuild: Plugin = {
  name: "client-core-node-build",
  enforce: "pre",
  resolveId(source, importer) {
    if (source === "./transport.js" && importer?.includes("/packages/client-core/src/")) return nodeTransport;
    return null;
  },
};

/** Suites that exercise a client end to end: run once per transport the packages ship. */
const perTransport = ["packages/*/test/**/*.test.ts", "scripts/test/contract.test.ts"];
/** Transport unit tests cover both transports themselves. */
const transportUnits = ["packages/client-core/test/transport*.test.ts"];

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify("0.0.0-test") },
  resolve: {
    alias: [
      {
        find: /^@org\/client-core\/public$/,
        replacement: fileURLToPath(new URL("./packages/client-core/src/public.ts", import.meta.url)),
      },
      { find: /^@org\/client-core$/, replacement: src("client-core") },
      { find: /^@org\/testing$/, replacement: src("testing") },
      { find: /^@org\/codegen$/, replacement: src("codegen") },
    ],
  },
  test: {
    globalSetup: ["./scripts/test/prism-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "fetch",
          include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.{ts,mjs}"],
          env: { ORG_TEST_TRANSPORT: "fetch" },
          typecheck: {
            enabled: true,
            include: ["packages/*/test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.test.json",
          },
        },
      },
      {
        extends: true,
        plugins: [nodeBuild],
        test: {
          name: "node",
          include: perTransport,
          exclude: [...configDefaults.exclude, ...transportUnits],
          env: { ORG_TEST_TRANSPORT: "node" },
        },
      },
    ],
  },
});
