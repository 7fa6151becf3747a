// Starts the benchmark server (lib/server.mjs) in a child process and talks to it over IPC.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./server.mjs", import.meta.url));

export async function startBenchServer(mode) {
  const child = fork(script, [mode], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port } = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const ask = (message) =>
    new Promise((resolve) => {
      child.once("message", resolve);
      child.send(message);
    });
  return {
    url: `http://127.0.0.1:${port}`,
    stats: async () => (await ask("stats")).stats,
    reset: async () => {
      child.send("reset");
    },
    close: () => child.disconnect(),
  };
}
