// 3. Cold import, counted: the instructions a fresh `node` process executes to import each package,
// under callgrind (valgrind), minus those of a process that imports nothing.
//
// Why beside the wall time: on this VM the wall time of a fresh process moves by a millisecond or
// two from run to run, as much as a change to the import path is worth, and the 20 ms target sits
// inside that noise. An instruction count does not move: with V8's hash seed and random seed fixed
// (both otherwise drawn per process) three runs of the same import give the same count to the
// instruction. It counts no system call and no cache miss, so it is a measure to compare imports
// by, not a time. It needs `valgrind` on the PATH; without it the section says so and moves on.
import { countInstructions } from "./callgrind.mjs";

const EMPTY_MODULE = "(an empty module)";

/** Instructions (millions) of a fresh process running `code` as an ES module, V8's seeds fixed. */
async function instructions(code, cwd) {
  const count = await countInstructions(["--hash-seed=1", "--random-seed=1", "--input-type=module", "-e", code], {
    cwd,
  });
  return count / 1e6;
}

/**
 * @param {string[]} packages bare specifiers, resolved from `cwd`
 * @returns {Promise<{ nothing: number, rows: { name: string, millions: number }[] }>} millions of
 *   instructions: a process importing nothing; then each subject's above it, an empty module's first
 */
export async function importInstructions(packages, { cwd }) {
  const nothing = await instructions("", cwd);
  const rows = [];
  for (const name of [EMPTY_MODULE, ...packages]) {
    const code =
      name === EMPTY_MODULE ? 'await import("data:text/javascript,");' : `await import(${JSON.stringify(name)});`;
    rows.push({ name, millions: (await instructions(code, cwd)) - nothing });
  }
  return { nothing, rows };
}
