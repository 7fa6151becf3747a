// One provider's Node target in a process of its own (see node-target.mjs): our client on its
// default transport and the raw Node transports, warmed up, then interleaved as in section 1.
// argv: group, our contender's name, rounds, sequential requests, concurrent requests, warm-up.
// Prints { sequential, "concurrency 32" } as interleave() returns them, as JSON on stdout.
import { contenders, RAW_NODE } from "./contenders.mjs";
import { startBenchServer } from "./servers.mjs";
import { interleave, warmUp } from "./throughput.mjs";

const [group, ours, rounds, sequential, concurrent, warm] = process.argv.slice(2);
const api = await startBenchServer("api");
const all = await contenders(api.url);
const chosen = Object.fromEntries([...RAW_NODE, ours].map((name) => [name, all[group][name]]));
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
