// Some contenders of one group in a process of their own (see apart.mjs): warmed up, then
// interleaved as in section 1.
// argv: group, rounds, sequential requests, concurrent requests, warm-up, then the contenders' names.
// Prints { sequential, "concurrency 32" } as interleave() returns them, as JSON on stdout.
import { contenders } from "./contenders.mjs";
import { startBenchServer } from "./servers.mjs";
import { interleave, warmUp } from "./throughput.mjs";

const [group, rounds, sequential, concurrent, warm, ...names] = process.argv.slice(2);
const api = await startBenchServer("api");
const all = await contenders(api.url);
const chosen = Object.fromEntries(names.map((name) => [name, all[group][name]]));
await warmUp(chosen, Number(warm));
const result = {};
for (const [mode, concurrency, requests] of [
  ["sequential", 1, Number(sequential)],
  ["concurrency 32", 32, Number(concurrent)],
]) {
  result[mode] = await interleave(chosen, { rounds: Number(rounds), requests, concurrency });
}
api.close();
process.stdout.write(JSON.stringify(result));
process.exit(0);
