// Listing 100 000 CDF files (issue 14): the built @org/cognite-files on its Node default transport,
// `for await (const f of cdf.files.list({ limit: 1000 }))`, against a hand-written cursor loop over
// the same client's first pages (`(await cdf.files.list({ limit, cursor })).result.nextCursor`),
// and @cognite/sdk 10.5.0's `client.files.list({ limit: 1000 }).autoPagingToArray({ limit: Infinity })`,
// on one keep-alive loopback server in a child process (lib/files-list-server.mjs) serving pages
// of the spec's FileMetadata example. @cognite/sdk's files.list is `POST /files/list` (its only
// list), so `for await` over our `files.filter` — the same request — is measured beside it.
// Every contender ends with the same thing @cognite/sdk's autoPagingToArray returns: an array of
// all 100 000 files (checked: count and ids). Interleaved rounds (order rotated, first round
// dropped); ms per full walk, and ratios as medians of the per-round ratios.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CogniteClient } from "@cognite/sdk";
import { createCogniteClient } from "@org/cognite-files";
import { median } from "./stats.mjs";
import { interleave } from "./throughput.mjs";

export const LIST_ITEMS = 100_000;
export const LIST_PAGE = 1000;
/** Rounds at full size (one walk of 100 000 files per contender per round, plus a dropped warm-up round). */
export const LIST_ROUNDS = 5;
/** Files listed in quick mode (BENCH_QUICK=1). */
export const LIST_QUICK_ITEMS = 20_000;
/** `for await` ≤ 1.1× the hand-written loop (and less than @cognite/sdk's autoPagingToArray). */
export const LIST_TARGET = 1.1;
const FIRST_ID = 4503599627370496;
const TOKEN = "pat_bench_token";

const script = fileURLToPath(new URL("./files-list-server.mjs", import.meta.url));

async function startServer(total) {
  const child = fork(script, [String(total)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port } = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`files-list bench server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.disconnect() };
}

export const HAND = "hand-written cursor loop (files.list pages)";
export const FOR_AWAIT = "for await (files.list)";
export const FILTER = "for await (files.filter, POST /files/list)";
export const SDK = "@cognite/sdk files.list().autoPagingToArray";

/**
 * @param {{ rounds: number, total?: number }} options one full walk per contender per round
 * @returns {Promise<{ rows: { name: string, msPerWalk: number, ratio: number, samples: number[] }[],
 *   ratio: number, vsSdk: number, total: number }>} `ratio`: for await ÷ hand loop; `vsSdk`: for await ÷
 *   @cognite/sdk (both in time, medians of the per-round ratios); `samples`: ms per walk of every kept round
 */
export async function filesList({ rounds, total = LIST_ITEMS }) {
  const server = await startServer(total);
  try {
    const cdf = createCogniteClient({
      project: "bench",
      token: TOKEN,
      baseUrl: `${server.url}/api/v1/projects/{project}`,
    });
    const sdk = new CogniteClient({
      appId: "bench",
      project: "bench",
      baseUrl: server.url,
      oidcTokenProvider: async () => TOKEN,
    });
    await sdk.authenticate();
    const check = (name, files) => {
      if (files.length !== total || files[0].id !== FIRST_ID || files[total - 1].id !== FIRST_ID + total - 1) {
        throw new Error(`files-list bench: ${name} listed ${files.length} files, expected ${total}`);
      }
    };
    const contenders = {
      [HAND]: async () => {
        const files = [];
        let cursor;
        do {
          const page = await cdf.files.list(cursor === undefined ? { limit: LIST_PAGE } : { limit: LIST_PAGE, cursor });
          for (const file of page.items) files.push(file);
          cursor = page.result.nextCursor;
        } while (cursor);
        check(HAND, files);
      },
      [FOR_AWAIT]: async () => {
        const files = [];
        for await (const file of cdf.files.list({ limit: LIST_PAGE })) files.push(file);
        check(FOR_AWAIT, files);
      },
      [FILTER]: async () => {
        const files = [];
        for await (const file of cdf.files.filter({ limit: LIST_PAGE })) files.push(file);
        check(FILTER, files);
      },
      [SDK]: async () => {
        const files = await sdk.files.list({ limit: LIST_PAGE }).autoPagingToArray({ limit: Infinity });
        check(SDK, files);
      },
    };
    const rows = await interleave(contenders, { rounds, requests: 1, concurrency: 1 });
    const ms = Object.fromEntries(rows.map((r) => [r.name, r.samples.map((walksPerSecond) => 1000 / walksPerSecond)]));
    const perRound = (a, b) => median(ms[a].map((value, i) => value / ms[b][i]));
    const out = rows.map((r) => ({
      name: r.name,
      msPerWalk: median(ms[r.name]),
      ratio: perRound(r.name, HAND),
      samples: ms[r.name],
    }));
    return {
      rows: out,
      ratio: perRound(FOR_AWAIT, HAND),
      vsSdk: perRound(FOR_AWAIT, SDK),
      filterVsSdk: perRound(FILTER, SDK),
      total,
    };
  } finally {
    server.close();
  }
}

// run alone: node bench/lib/files-list.mjs [rounds] (after `turbo run build --filter=@org/cognite-files`)
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === "1";
  const rounds = Number(process.argv[2] ?? (quick ? 2 : LIST_ROUNDS));
  const result = await filesList({ rounds, total: quick ? LIST_QUICK_ITEMS : LIST_ITEMS });
  for (const row of result.rows) {
    console.log(
      `${row.name}: ${row.msPerWalk.toFixed(0)} ms per walk, ${row.ratio.toFixed(3)}× the hand loop (rounds: ${row.samples.map((v) => v.toFixed(0)).join(", ")})`,
    );
  }
  console.log(`for await ÷ hand loop: ${result.ratio.toFixed(3)}× (target ≤ ${LIST_TARGET}×)`);
  console.log(
    `for await ÷ @cognite/sdk: ${result.vsSdk.toFixed(3)}× (target < 1); files.filter ÷ @cognite/sdk: ${result.filterVsSdk.toFixed(3)}×`,
  );
}
