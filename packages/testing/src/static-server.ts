/** Serves a fixed set of in-memory files on 127.0.0.1 (port chosen by the OS), e.g. a bundled test page. */
import { createServer } from "node:http";
import { listenOnLoopback } from "./http-server.js";

/** One file to serve: its body and `content-type`. */
export interface StaticFile {
  body: string | Uint8Array;
  type: string;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Serves `files` by exact path (`/`, `/main.js`, …); anything else is a 404. */
export async function serveFiles(files: Record<string, StaticFile>): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const file = Object.hasOwn(files, path) ? files[path] : undefined;
    if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : file.body);
  });
  return listenOnLoopback(server);
}
