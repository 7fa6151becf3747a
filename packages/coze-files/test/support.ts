/** Test support for @org/coze-files: a local server closed after each test, a memory logger, fixtures. */
import { type Handler, startServer, type TestServer } from "@org/testing";
import { afterEach } from "vitest";
import type { File, FolderSimpleInfo, Logger } from "../src/index.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

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

export const TOKEN = "pat_SECRET_coze_token_0123456789";

export const FILE: File = { id: "7369495981102022700", bytes: 152236, file_name: "1120.jpeg", created_at: 1715847583 };
export const FOLDER: FolderSimpleInfo = {
  id: "1752316125533542000",
  name: "项目文档",
  workspace_id: "5123945629000",
  creator_user_id: "24787743932000",
};

/** Coze's success envelope around `data`. */
export const ok = (data: unknown, logid = "20241210152726467C48D89D6DB2AAAA") => ({
  code: 0,
  msg: "",
  data,
  detail: { logid },
});
