// Loads a TypeScript module of the workspace (e.g. packages/testing/src/live/index.ts) in a plain Node
// script, resolved and transformed exactly as the tests see it: through Vite (vitest's own copy,
// `createViteServer` from vitest/node) with the root vitest.config.ts (its `@org/*` aliases to the
// packages' sources and its `define`s). No build needed; nothing is written.
import { join } from "node:path";

/**
 * @param {string} root the repository root
 * @param {string} file the module, relative to `root` (`/packages/testing/src/live/index.ts`)
 * @returns {Promise<{ module: Record<string, any>, close: () => Promise<void> }>}
 */
export async function loadTypeScript(root, file) {
  const { createViteServer } = await import("vitest/node");
  const server = await createViteServer({
    root,
    configFile: join(root, "vitest.config.ts"),
    logLevel: "error",
    clearScreen: false,
    appType: "custom",
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    return { module: await server.ssrLoadModule(file), close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}
