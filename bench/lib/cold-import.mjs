// 3. Cold import: median wall time of fresh `node` processes importing each package, minus the
// median of an empty process. Runs are interleaved across packages.
import { spawnSync } from "node:child_process";
import { median } from "./stats.mjs";

export function coldImports(packages, { runs, cwd }) {
  const subjects = ["(baseline)", ...packages];
  const times = Object.fromEntries(subjects.map((s) => [s, []]));
  for (let i = 0; i < runs; i++) {
    for (const subject of subjects) {
      const code = subject === "(baseline)" ? "" : `await import(${JSON.stringify(subject)});`;
      const started = performance.now();
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd, stdio: "pipe" });
      const elapsed = performance.now() - started;
      if (run.status !== 0) throw new Error(`import ${subject} failed: ${run.stderr}`);
      times[subject].push(elapsed);
    }
  }
  const baseline = median(times["(baseline)"]);
  return { baseline, rows: packages.map((name) => ({ name, ms: median(times[name]) - baseline })) };
}
