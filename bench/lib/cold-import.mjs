// 3. Cold import: wall time of fresh `node` processes importing each package, minus that of an
// empty process, each taken as the lower quartile of its runs. Runs are interleaved across packages.
//
// Why the lower quartile: on the 2-core VM this runs on, a fresh process takes one of two times,
// about 20 ms apart (an empty process: 59-64 ms or 80-84 ms, 25 runs), whatever it imports. A median
// lands on whichever mode holds the middle run, so two runs of the same code differed by more than
// the import itself; the noise only ever adds time, and the lower quartile reads every subject in
// the fast mode. The median is still returned, beside it.
//
// The children run without NODE_EXTRA_CA_CERTS: when it is set (as it is on this machine), each
// process parses those certificates at start-up, 36 ms the same for every subject, and noise.
import { spawnSync } from "node:child_process";
import { lowerQuartile, median } from "./stats.mjs";

export function coldImports(packages, { runs, cwd }) {
  const subjects = ["(baseline)", ...packages];
  const times = Object.fromEntries(subjects.map((s) => [s, []]));
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  for (let i = 0; i < runs; i++) {
    for (const subject of subjects) {
      const code = subject === "(baseline)" ? "" : `await import(${JSON.stringify(subject)});`;
      const started = performance.now();
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd, env, stdio: "pipe" });
      const elapsed = performance.now() - started;
      if (run.status !== 0) throw new Error(`import ${subject} failed: ${run.stderr}`);
      times[subject].push(elapsed);
    }
  }
  const baseline = lowerQuartile(times["(baseline)"]);
  const baselineMedian = median(times["(baseline)"]);
  return {
    baseline,
    baselineMedian,
    rows: packages.map((name) => ({
      name,
      ms: lowerQuartile(times[name]) - baseline,
      median: median(times[name]) - baselineMedian,
    })),
  };
}
