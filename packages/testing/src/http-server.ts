/**
 * A real HTTP server on 127.0.0.1, port chosen by the OS, for fault tests: each test scripts
 * the responses and then inspects what the server received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  /** Raw request target (path and query, exactly as sent). */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** ms since the server started. */
  at: number;
}

export type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse, index: number) => unknown;

export interface TestServer {
  url: string;
  requests: ReceivedRequest[];
  /** Requests being handled right now, and the most seen at once. */
  inFlight: () => number;
  maxInFlight: () => number;
  close(): Promise<void>;
}

/** Starts a server; `handler` answers request number `index` (0-based). */
export async function startServer(handler: Handler): Promise<TestServer> {
  const started = Date.now();
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const index = requests.length;
    requests.push({
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body,
      at: Date.now() - started,
    });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => {
      inFlight--;
    });
    try {
      await handler(Object.assign(req, { body }), res, index);
    } catch (error) {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    }
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close,
  };
}

/**
 * Listens on 127.0.0.1 with a port the OS picks; `close()` also ends open keep-alive connections,
 * so a test never waits for them.
 */
export async function listenOnLoopback(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON response. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
