// The benchmark server, run in a child process (so its work does not share the measured event
// loop): loopback, keep-alive, port chosen by the OS; sends its port to the parent.
//   mode "api":   answers each provider's files.retrieve (and Cognite byids) with the spec example
//   mode "batch": Cognite byids only, 50 ms latency per request, 429 when more than 4 are in flight
import { createServer } from "node:http";
import { payloads } from "./payloads.mjs";

const mode = process.argv[2] ?? "api";
const LATENCY_MS = 50;
const MAX_IN_FLIGHT = 4;
const bodies = payloads();
const coze = JSON.stringify(bodies.coze);
const cognite = JSON.stringify(bodies.cognite);
const wooshpay = JSON.stringify(bodies.wooshpay);
const stats = { requests: 0, rejected429: 0, maxInFlight: 0, items: 0 };
let inFlight = 0;

function send(res, status, text, extra = {}) {
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": "req_bench",
    ...extra,
  });
  res.end(text);
}

function byIds(body) {
  const items = JSON.parse(body).items.map((item, i) => ({
    ...bodies.cogniteItem,
    id: item.id ?? 1_000_000 + i,
    externalId: item.externalId ?? `ext-${item.id}`,
  }));
  return { text: JSON.stringify({ items }), count: items.length };
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    stats.requests++;
    const url = req.url ?? "";
    if (mode === "batch") {
      if (inFlight >= MAX_IN_FLIGHT) {
        stats.rejected429++;
        send(res, 429, JSON.stringify({ error: { code: 429, message: "Too many requests" } }));
        return;
      }
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      // the answer is built while the 50 ms latency runs (as a real server's work overlaps its
      // network latency), so the measured wall time is latency + transfer + the client's work
      const { text, count } = byIds(Buffer.concat(chunks).toString());
      setTimeout(() => {
        inFlight--;
        stats.items += count;
        send(res, 200, text);
      }, LATENCY_MS);
      return;
    }
    if (url.startsWith("/v1/files/retrieve")) send(res, 200, coze, { "x-tt-logid": "log_bench" });
    else if (url.endsWith("/files/byids")) send(res, 200, byIds(Buffer.concat(chunks).toString()).text);
    else if (url.startsWith("/api/v1/projects/")) send(res, 200, cognite);
    else if (url.startsWith("/v1/files/")) send(res, 200, wooshpay, { "request-id": "req_bench" });
    else send(res, 404, JSON.stringify({ error: "not found" }));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("message", (message) => {
  if (message === "stats") process.send?.({ stats });
  if (message === "reset") Object.assign(stats, { requests: 0, rejected429: 0, maxInFlight: 0, items: 0 });
});
process.on("disconnect", () => process.exit(0));
