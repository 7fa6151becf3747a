// Counting instructions: a `node` process run under callgrind (valgrind), its total read from
// callgrind's "Collected" line. Used by import-instructions.mjs and fetch-instructions.mjs. The
// child runs without NODE_EXTRA_CA_CERTS (as in cold-import.mjs: certificates parsed at start-up).
import { spawn, spawnSync } from "node:child_process";

/** Whether callgrind can be run here. */
export function hasCallgrind() {
  const probe = spawnSync("valgrind", ["--version"], { stdio: "pipe" });
  return probe.error === undefined && probe.status === 0;
}

/** Instructions executed by `node <nodeArgs…>` under callgrind (every thread, start to exit). */
export function countInstructions(nodeArgs, { cwd }) {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, ...nodeArgs];
  const run = spawn("valgrind", args, { cwd, env, stdio: "pipe" });
  let stderr = "";
  run.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    run.on("error", reject);
    run.on("close", (status) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (status !== 0 || collected === null)
        reject(new Error(`callgrind of node ${nodeArgs.join(" ")} failed: ${stderr}`));
      else resolve(Number(collected[1]));
    });
  });
}
