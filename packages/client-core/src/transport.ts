/**
 * What a client is given when created without a `fetch` option. Here, for browsers, workers,
 * Deno and every other runtime: nothing, meaning openapi-fetch's global `fetch` and `Request`.
 * The `node` build of the package (export condition `node`) replaces this module with
 * `transport-node.ts`, a keep-alive `node:http` transport, so browser bundles never include it.
 */
export const defaultTransport: { fetch?: typeof fetch; Request?: typeof Request; deadline?: boolean } = {};
