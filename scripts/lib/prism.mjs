// Starts Prism mock servers (from the workspace's @stoplight/prism-cli) on ports the OS picks.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const prismBin = join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist", "index.js");
const exitWithParent = join(dirname(fileURLToPath(import.meta.url)), "exit-with-parent.cjs");

// Prism processes still running; killed when this process exits (normally or through process.exit).
const running = new Set();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `prism mock <spec> --errors` on 127.0.0.1 with port 0 and resolves once it listens.
 * With `upstream`, starts `prism proxy <spec> <upstream>` instead: Prism's validating proxy, which
 * forwards every request to `upstream` and passes its answer through unchanged, with what violates the
 * spec (request or response) in an `sl-violations` header (no `--errors`: that would replace the
 * server's status and body with Prism's own error).
 * The child is tied to this process: it is killed when this process exits, and it exits by itself
 * when this process dies without cleaning up (its stdin pipe closes; see exit-with-parent.cjs).
 * @param {string} spec
 * @param {{ timeoutMs?: number, upstream?: string }} [options]
 * @returns {Promise<{ url: string, stop: () => Promise<void>, pid: number }>}
 */
export function startPrism(spec, { timeoutMs = 60_000, upstream } = {}) {
  return new Promise((resolve, reject) => {
    const mode = upstream === undefined ? ["mock", spec, "--errors"] : ["proxy", spec, upstream];
    const args = ["--require", exitWithParent, prismBin, ...mode, "-h", "127.0.0.1", "-p", "0"];
    const child = spawn(process.execPath, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    running.add(child);
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Prism did not start within ${timeoutMs} ms for ${spec}:\n${output}`));
    }, timeoutMs);
    const stop = () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ url: match[1], stop, pid: child.pid });
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
    });
    child.once("exit", (code) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}) for ${spec}:\n${output}`));
    });
  });
}
