// 5. Batch retrieval: 10,000 Cognite items against a server with 50 ms latency that answers 429
// when more than 4 requests are in flight; ours (retrieveMultiple) and @cognite/sdk.
import { CogniteClient } from "@cognite/sdk";
import { createCogniteClient } from "@org/cognite-files";
import { median } from "./stats.mjs";

export const ITEMS = 10_000;
export const LATENCY_MS = 50;
export const MAX_IN_FLIGHT = 4;
const CHUNK = 1000;
/** Whole waves of 4 chunks, each one round trip of 50 ms. */
export const IDEAL_MS = Math.ceil(ITEMS / CHUNK / MAX_IN_FLIGHT) * LATENCY_MS;

export async function batch(server, { runs }) {
  const items = Array.from({ length: ITEMS }, (_, i) => ({ id: i + 1 }));
  const ours = createCogniteClient({
    project: "bench",
    token: "t",
    baseUrl: `${server.url}/api/v1/projects/{project}`,
  });
  const sdk = new CogniteClient({
    appId: "bench",
    project: "bench",
    baseUrl: server.url,
    oidcTokenProvider: async () => "t",
  });
  await sdk.authenticate();
  const rawFetchFloor = async () => {
    // the same 10 chunks, 4 in flight, plain fetch + JSON.parse, no retries: what the payloads cost
    const chunks = Array.from({ length: ITEMS / CHUNK }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
    const results = new Array(chunks.length);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const index = next++;
        const response = await fetch(`${server.url}/api/v1/projects/bench/files/byids`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer t" },
          body: JSON.stringify({ items: chunks[index] }),
        });
        results[index] = (await response.json()).items;
      }
    };
    await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, worker));
    return results.flat();
  };
  const contenders = {
    "@org/cognite-files retrieveMultiple": () => ours.files.retrieveMultiple({ items }),
    "@cognite/sdk files.retrieve": () => sdk.files.retrieve(items),
    "floor: raw fetch, 4 in flight": rawFetchFloor,
  };
  const rows = [];
  for (const [name, fn] of Object.entries(contenders)) {
    const walls = [];
    let rejected = 0;
    let failed = 0;
    let wrong = 0;
    for (let i = 0; i < runs; i++) {
      await server.reset();
      const started = performance.now();
      try {
        const got = await fn();
        walls.push(performance.now() - started);
        if (got.length !== ITEMS || got.some((file, j) => file.id !== j + 1)) wrong++;
      } catch {
        walls.push(performance.now() - started);
        failed++;
      }
      rejected += (await server.stats()).rejected429;
    }
    const wall = median(walls);
    rows.push({ name, wall, ratio: wall / IDEAL_MS, rejected: rejected / runs, failed, wrong, runs });
  }
  return rows;
}
