// The pagination benchmark's server, run in a child process (lib/pagination.mjs forks it):
// loopback, keep-alive, port chosen by the OS, sent to the parent over IPC. GET /items?limit=&cursor=
// answers a cursor page of a fixed list of file-like items; every page is serialised once, up front.
import { createServer } from "node:http";

const total = Number(process.argv[2] ?? 10_000);
const items = Array.from({ length: total }, (_, i) => ({
  id: `file_${String(i).padStart(8, "0")}`,
  object: "file",
  bytes: 1024 + i,
  created_at: 1_700_000_000 + i,
  filename: `report-${i}.pdf`,
  purpose: "assistants",
}));
const pages = new Map();
function page(start, limit) {
  const key = `${start}:${limit}`;
  let text = pages.get(key);
  if (text === undefined) {
    const end = Math.min(start + limit, total);
    text = JSON.stringify({ data: items.slice(start, end), next_cursor: end < total ? String(end) : null });
    pages.set(key, text);
  }
  return text;
}

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://x");
    const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? 100), 1), 1000);
    const start = Number(url.searchParams.get("cursor") ?? 0);
    const text = page(start, limit);
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "x-request-id": "req_bench",
    });
    res.end(text);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
