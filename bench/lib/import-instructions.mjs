// 3. Cold import, counted: the instructions a fresh `node` process executes to import each package,
// under callgrind (valgrind), minus those of a process that imports nothing.
//
// Why beside the wall time: on this VM the wall time of a fresh process moves by a millisecond or
// two from run to run, as much as a change to the import path is worth, and the 20 ms target sits
// inside that noise. An instruction count does not move: with V8's hash seed and random seed fixed
// (both otherwise drawn per process) three runs of the same import give the same count to the
// instruction. It counts no system call and no cache miss, so it is a measure to compare imports
// by, not a time. It needs `valgrind` on the PATH; without it the section says so and moves on.
import { spawnSync } from "node:child_process";

const EMPTY_MODULE = "(an empty module)";

/** Whether callgrind can be run here. */
export function hasCallgrind() {
  const probe = spawnSync("valgrind", ["--version"], { stdio: "pipe" });
  return probe.error === undefined && probe.status === 0;
}

/** Instructions (millions) of a fresh process running `code` as an ES module, under callgrind. */
function instructions(code, { cwd, env }) {
  const run = spawnSync(
    "valgrind",
    [
      "--tool=callgrind",
      "--callgrind-out-file=/dev/null",
      process.execPath,
      "--hash-seed=1",
      "--random-seed=1",
      "--input-type=module",
      "-e",
      code,
    ],
    { cwd, env, encoding: "utf8", stdio: "pipe" },
  );
  const collected = /Collected : (\d+)/.exec(run.stderr ?? "");
  if (run.status !== 0 || collected === null) throw new Error(`callgrind of ${code} failed: ${run.stderr}`);
  return Number(collected[1]) / 1e6;
}

/**
 * @param {string[]} packages bare specifiers, resolved from `cwd`
 * @returns {{ nothing: number, rows: { name: string, millions: number }[] }} millions of
 *   instructions: a process importing nothing; then each subject's above it, an empty module's first
 */
export function importInstructions(packages, { cwd }) {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS; // as in cold-import.mjs: certificates parsed at start-up
  const nothing = instructions("", { cwd, env });
  const rows = [EMPTY_MODULE, ...packages].map((name) => {
    const code =
      name === EMPTY_MODULE ? 'await import("data:text/javascript,");' : `await import(${JSON.stringify(name)});`;
    return { name, millions: instructions(code, { cwd, env }) - nothing };
  });
  return { nothing, rows };
}
