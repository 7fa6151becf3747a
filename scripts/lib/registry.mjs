// A throwaway npm registry for tests: the workspace's Verdaccio (dev dependency), on 127.0.0.1 and a
// port the OS picks, storage in a temporary folder, no uplinks (nothing it serves or fetches leaves
// the machine), the audit middleware and the web UI off, htpasswd auth with a user made up per run.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const server = join(here, "verdaccio-server.cjs");
const exitWithParent = join(here, "exit-with-parent.cjs");

/** The Verdaccio config: `@org/*` and everything else readable by all, publishable by a logged-in user. */
export function verdaccioConfig(dir) {
  return [
    `storage: ${JSON.stringify(join(dir, "storage"))}`,
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(join(dir, "htpasswd"))}`,
    "    max_users: 10",
    "    algorithm: sha1", // a throwaway user: no need for bcrypt's cost on every request
    "security:",
    "  api:",
    "    jwt:",
    "      sign:",
    "        expiresIn: 1h",
    "uplinks: {}", // none: a package that is not published here is a 404, never fetched from elsewhere
    "packages:",
    "  '@org/*':",
    "    access: $all",
    "    publish: $authenticated",
    "    unpublish: $authenticated",
    "  '**':",
    "    access: $all",
    "    publish: $authenticated",
    "    unpublish: $authenticated",
    "middlewares:",
    "  audit:",
    "    enabled: false", // the audit middleware forwards `npm audit` to the public registry
    "web:",
    "  enable: false",
    "max_body_size: 20mb",
    "log: { type: stdout, format: pretty, level: warn }",
    "",
  ].join("\n");
}

/**
 * Starts Verdaccio with its config and storage under `dir`; resolves once it listens.
 * The server runs in its own process group (stopped with a group kill) and exits by itself when
 * this process dies without stopping it (its stdin pipe closes; see exit-with-parent.cjs).
 * @returns {Promise<{ url: string, pid: number, stop: () => Promise<void>, kill: () => void, output: () => string }>}
 */
export function startRegistry(dir, { timeoutMs = 60_000 } = {}) {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "config.yaml");
  writeFileSync(config, verdaccioConfig(dir));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", exitWithParent, server, config], {
      cwd: dir,
      detached: true, // its own process group, so that a group kill reaches anything it starts
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let output = "";
    const kill = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const stop = () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          child.kill("SIGTERM");
        }
        setTimeout(kill, 2000).unref();
      });
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`Verdaccio did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
      const match = /verdaccio listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], pid: child.pid, stop, kill, output: () => output });
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited (${signal ?? code}):\n${output}`));
    });
  });
}

/** Registers a user (`npm adduser` over HTTP) and returns its token. */
export async function addUser(url, name, password = randomBytes(12).toString("hex")) {
  const response = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: "user", roles: [] }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.token) throw new Error(`adduser ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Publishes an installed package folder (e.g. a third-party dependency out of node_modules/.pnpm) as
 * it is, through the registry's publish API, so that installs from the registry find it. Its
 * `publishConfig` (a registry, provenance) is deliberately not applied: it is somebody else's.
 */
export async function seedPackage(url, token, dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (!existsSync(dir)) throw new Error(`no such package folder ${dir}`);
  // --hard-dereference: pnpm's store hard-links identical files (index.d.ts, index.d.mts, …), which tar
  // would record as links that npm's extraction drops
  const tarball = execFileSync(
    "tar",
    ["-czf", "-", "--hard-dereference", "--exclude=./node_modules", "--transform", "s,^\\.,package,", "-C", dir, "."],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const file = `${pkg.name.split("/").pop()}-${pkg.version}.tgz`;
  const manifest = { ...pkg, _id: `${pkg.name}@${pkg.version}` };
  delete manifest.publishConfig;
  delete manifest.scripts;
  manifest.dist = {
    shasum: createHash("sha1").update(tarball).digest("hex"),
    integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
    tarball: `${url}/${pkg.name}/-/${file}`,
  };
  const response = await fetch(`${url}/${pkg.name.replace("/", "%2f")}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      _id: pkg.name,
      name: pkg.name,
      "dist-tags": { latest: pkg.version },
      versions: { [pkg.version]: manifest },
      _attachments: {
        [file]: { content_type: "application/octet-stream", data: tarball.toString("base64"), length: tarball.length },
      },
    }),
  });
  if (!response.ok)
    throw new Error(`seeding ${pkg.name}@${pkg.version}: HTTP ${response.status} ${await response.text()}`);
  return `${pkg.name}@${pkg.version}`;
}

/** The registry's document for a package (every version's manifest, dist-tags), or undefined on 404. */
export async function packument(url, name) {
  const response = await fetch(`${url}/${name.replace("/", "%2f")}`, { headers: { accept: "application/json" } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${name}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
