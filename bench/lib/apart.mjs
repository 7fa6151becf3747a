// The targets measured apart: for each provider, a fresh process that runs only the contenders
// compared — our client on its default transport and the raw Node transports ("node:http
// keep-alive", "undici.request"); or our client given `fetch` and raw fetch, with and without a
// deadline. In section 1 every contender shares one process, so our engine also serves the same
// client on the other transport, and the heap holds what eight contenders left: in a callgrind run
// (main thread, requests 6,000 to 16,000), our Coze client cost 187.9k instructions per request
// alone, 192.8k after 5,000 requests of its fetch twin, and 206.5k after those and 5,000 of raw
// fetch (more scavenging, megamorphic property loads), while a bare node:http request does not run
// that code. And undici's `fetch` leaves a finalizer per request given a signal, which runs after a
// full collection, in whichever contender's block that falls. An application runs one transport;
// this is what it gets.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const child = fileURLToPath(new URL("./apart-child.mjs", import.meta.url));

/**
 * @param {string} group provider group of contenders.mjs
 * @param {string[]} names the contenders of that group to run, in that process only
 * @returns {Promise<Record<string, { name: string, rps: number, ratio: number, samples: number[], cpu: number, cpuSamples: number[] }[]>>}
 */
export function measureApart(group, names, { rounds, sequential, concurrent, warmUp }) {
  return new Promise((resolve, reject) => {
    const run = spawn(
      process.execPath,
      ["--expose-gc", child, group, String(rounds), String(sequential), String(concurrent), String(warmUp), ...names],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    run.stdout.on("data", (chunk) => {
      out += chunk;
    });
    run.on("error", reject);
    run.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${group} apart (${names.join(", ")}): exited with ${code}`));
      else resolve(JSON.parse(out));
    });
  });
}
