// 6. Auto-pagination: walking 10 000 items with `for await` over a paginated call of the built
// @org/client-core, against a hand-written page loop over the same client's plain `call` (the
// cursor read and the next params built by hand), on the same keep-alive loopback server (a
// child process, lib/pagination-server.mjs). Interleaved rounds; the ratio is for-await time ÷
// hand-loop time, median of the per-round ratios (target ≤ 1.1×).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCoreClient } from "@org/client-core";
import { interleave } from "./throughput.mjs";

export const PAGE_ITEMS = 10_000;
export const PAGE_SIZE = 100;
export const PAGE_TARGET = 1.1;

const script = fileURLToPath(new URL("./pagination-server.mjs", import.meta.url));

/** The list operation, as the generator would describe it. */
const listFiles = {
  id: "files.list",
  method: "GET",
  path: "/items",
  pathParams: [],
  queryParams: ["limit", "cursor"],
  required: [],
  body: false,
  idempotent: true,
  responseBody: true,
  pagination: { style: "cursor", itemsPath: "data", cursorParam: "cursor", nextCursorPath: "next_cursor" },
};

async function startServer() {
  const child = fork(script, [String(PAGE_ITEMS)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port } = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`pagination bench server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.disconnect() };
}

/**
 * @param {{ rounds: number, walks: number }} options `walks` full walks of every item per contender per round
 * @returns {Promise<{ rows: { name: string, msPerWalk: number, ratio: number }[], ratio: number }>}
 *   `ratio`: for-await ÷ hand loop, in time (median of the per-round ratios)
 */
export async function pagination({ rounds, walks }) {
  const server = await startServer();
  try {
    const core = createCoreClient(
      { packageName: "@org/bench", packageVersion: "0.0.0", errorBrand: "bench", defaultBaseUrl: server.url },
      { baseUrl: server.url },
    );
    const check = (count, sum) => {
      if (count !== PAGE_ITEMS || sum !== PAGE_ITEMS * 1024 + (PAGE_ITEMS * (PAGE_ITEMS - 1)) / 2) {
        throw new Error(`pagination bench: walked ${count} items, expected ${PAGE_ITEMS}`);
      }
    };
    const contenders = {
      "hand-written page loop (call)": async () => {
        let count = 0;
        let sum = 0;
        let params = { limit: PAGE_SIZE };
        for (;;) {
          const result = await core.call(listFiles, params);
          for (const item of result.data) {
            count++;
            sum += item.bytes;
          }
          if (!result.next_cursor) break;
          params = { ...params, cursor: result.next_cursor };
        }
        check(count, sum);
      },
      "for await (page)": async () => {
        let count = 0;
        let sum = 0;
        for await (const item of core.page(listFiles, { limit: PAGE_SIZE })) {
          count++;
          sum += item.bytes;
        }
        check(count, sum);
      },
    };
    const rows = await interleave(contenders, { rounds, requests: walks, concurrency: 1 });
    // interleave gives walks/s and (walks/s) ÷ the baseline's: invert both for time
    const out = rows.map((row) => ({ name: row.name, msPerWalk: 1000 / row.rps, ratio: 1 / row.ratio }));
    return { rows: out, ratio: out[1].ratio };
  } finally {
    server.close();
  }
}

// run alone: node bench/lib/pagination.mjs (after `turbo run build --filter=@org/client-core`)
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === "1";
  const { rows, ratio } = await pagination({ rounds: quick ? 2 : 12, walks: quick ? 1 : 3 });
  for (const row of rows) console.log(`${row.name}: ${row.msPerWalk.toFixed(1)} ms per walk, ${row.ratio.toFixed(3)}×`);
  console.log(`for await ÷ hand loop: ${ratio.toFixed(3)}× (target ≤ ${PAGE_TARGET}×)`);
}
