/** Helpers for tests that need a fresh server, a recording logger or a re-routing fetch. */
import type { Logger } from "@org/client-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { type HostileServer, startHostileServer } from "./hostile-server.js";
import { type Handler, startServer, type TestServer } from "./http-server.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A hostile server for the whole test file: started before its first test, closed after its last.
 * The returned object stands for it (read its members inside tests, not at module level).
 */
export function hostileServerForFile(): HostileServer {
  let server: HostileServer | undefined;
  beforeAll(async () => {
    server = await startHostileServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const current = (): HostileServer => {
    if (server === undefined) throw new Error("the hostile server is started in beforeAll: use it inside a test");
    return server;
  };
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    get blocked() {
      return current().blocked;
    },
    scriptUrl: (script, index) => current().scriptUrl(script, index),
    close: () => current().close(),
  };
}

/** Starts a real HTTP server on 127.0.0.1:0, closed after the current test. */
export async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** A logger that keeps every line, level first. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      lines.push(`${level} ${message} ${rest.map((r) => JSON.stringify(r)).join(" ")}`);
  return { logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") }, lines };
}

/**
 * A `fetch` that records the URL the client asked for, then sends the request to `target`
 * (same path and query) — to observe default base URLs without leaving the machine.
 */
export function redirectFetch(target: string): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const redirected: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    urls.push(request.url);
    const url = new URL(request.url);
    return fetch(new Request(`${target}${url.pathname}${url.search}`, request));
  };
  return { fetch: redirected, urls };
}

/** A `fetch` that records every URL it is asked for and passes the request on to the global `fetch`. */
export function recordingFetch(): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const recording: typeof fetch = (input, init) => {
    urls.push(new Request(input, init).url);
    return fetch(input, init);
  };
  return { fetch: recording, urls };
}
