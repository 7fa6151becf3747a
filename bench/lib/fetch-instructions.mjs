// The fetch target, counted: instructions per request of sequential Coze retrieves over Node's
// `fetch` (undici), under callgrind (valgrind), for raw fetch, raw fetch given only an
// `AbortController` signal, raw fetch with a deadline (a signal and a timer), and our client given
// `fetch`. Each contender runs in a process of its own twice, for LOW and for HIGH requests; the
// difference divided by HIGH - LOW is what one warm request costs, start-up and warm-up cancelled
// (from 1,000 to 3,000 requests V8 was still compiling: every count came out 1.7-1.9x higher, and
// the differences between contenders smaller). Two processes run at a time (2 cores).
//
// Why: requests per second and CPU time on this VM move by 5-15 % from run to run, as much as the
// 5 % the target allows, so they cannot tell whether a signal alone costs more than that. With
// V8's `--predictable` (one thread, fixed seeds) two runs of raw fetch agreed to 0.4 %, of raw fetch
// with a signal to 0.6 %, of our client to 4 %. It counts no system call and no cache miss: a measure of work done, not a time. The
// server (lib/server.mjs) runs in another process, outside callgrind. Needs `valgrind` on the PATH.
//
// `node bench/lib/fetch-instructions.mjs` prints the table alone.
import { fileURLToPath } from "node:url";
import { countInstructions, hasCallgrind } from "./callgrind.mjs";
import {
  COZE_FILE,
  cozeRequest,
  json,
  RAW_FETCH,
  RAW_FETCH_DEADLINE,
  rawFetch,
  rawFetchWithDeadline,
  TOKEN,
} from "./raw-fetch.mjs";
import { startBenchServer } from "./servers.mjs";

const self = fileURLToPath(import.meta.url);
export const LOW = 2000;
export const HIGH = 6000;
const RAW_FETCH_SIGNAL = "raw fetch + AbortController signal";
const OURS = "@org/coze-files (fetch)";

/** The contenders, as in contenders.mjs (the Coze group), plus raw fetch given a signal only. */
async function contendersFor(base) {
  const { createCozeClient } = await import("@org/coze-files");
  const { url, headers } = cozeRequest(base);
  const client = createCozeClient({ token: TOKEN, baseUrl: base, fetch: globalThis.fetch });
  return {
    [RAW_FETCH]: rawFetch(url, headers),
    [RAW_FETCH_SIGNAL]: () => fetch(url, { headers, signal: new AbortController().signal }).then(json),
    [RAW_FETCH_DEADLINE]: rawFetchWithDeadline(url, headers),
    [OURS]: () => client.files.retrieve({ file_id: COZE_FILE }),
  };
}

export const NAMES = [RAW_FETCH, RAW_FETCH_SIGNAL, RAW_FETCH_DEADLINE, OURS];

/** Instructions of a process that runs `requests` requests of `name`, under callgrind. */
function count(name, requests, cwd) {
  return countInstructions(["--predictable", self, "child", name, String(requests)], { cwd });
}

/**
 * @returns {Promise<{ name: string, perRequest: number }[] | undefined>} instructions per warm
 *   request of each contender (undefined without valgrind)
 */
export async function fetchInstructions({ cwd }) {
  if (!hasCallgrind()) return undefined;
  const rows = [];
  for (const name of NAMES) {
    const [low, high] = await Promise.all([count(name, LOW, cwd), count(name, HIGH, cwd)]);
    rows.push({ name, perRequest: (high - low) / (HIGH - LOW) });
  }
  return rows;
}

if (process.argv[1] === self && process.argv[2] === "child") {
  const [name, requests] = process.argv.slice(3);
  const server = await startBenchServer("api");
  const run = (await contendersFor(server.url))[name];
  if (run === undefined) throw new Error(`no contender ${name}`);
  for (let i = 0; i < Number(requests); i++) await run();
  server.close();
  process.exit(0);
} else if (process.argv[1] === self) {
  const rows = await fetchInstructions({ cwd: process.cwd() });
  if (rows === undefined) console.log("valgrind is not installed");
  else for (const row of rows) console.log(`${row.name}: ${(row.perRequest / 1000).toFixed(0)}k`);
}
