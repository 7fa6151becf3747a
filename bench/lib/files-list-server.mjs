// The files-list benchmark's server, run in a child process (lib/files-list.mjs forks it):
// loopback, keep-alive, port chosen by the OS, sent to the parent over IPC. Serves `total` CDF
// files as cursor pages, both ways a client lists them:
//   GET  /api/v1/projects/<p>/files?limit=&cursor=          (files.list, ours)
//   POST /api/v1/projects/<p>/files/list  {limit, cursor}   (files.filter; what @cognite/sdk's files.list sends)
// Every item is the FileMetadata example of specs/cognite/openapi.yaml (GET /files/{id}, 200) with
// its ids, names and times made unique; every page is serialised once, on first request, and then
// answered from memory, so the walk measures the clients, not the server.
import { createServer } from "node:http";

const total = Number(process.argv[2] ?? 100_000);
const FIRST_ID = 4503599627370496;
const T0 = 1730204346000;

/** The spec's `fileMetadataExample`, item `i`. */
const item = (i) => ({
  name: `pump-diagram-${i}.jpeg`,
  id: FIRST_ID + i,
  uploaded: true,
  createdTime: T0 + i,
  lastUpdatedTime: T0 + i,
  externalId: `my.known.id.${i}`,
  directory: "/diagrams/pumps",
  source: "sap",
  mimeType: "image/jpeg",
  metadata: { site: "north" },
  assetIds: [4503599627370496],
  dataSetId: 4503599627370496,
  sourceCreatedTime: T0,
  sourceModifiedTime: T0,
  securityCategories: [4503599627370496],
  labels: [{ externalId: "my.known.id" }],
  geoLocation: {
    type: "Feature",
    geometry: { type: "Point", coordinates: [10.74609, 59.91273] },
    properties: {},
  },
  uploadedTime: T0 + i,
  instanceId: { space: "my_space", externalId: `pump_diagram_${i}` },
});

/** An opaque cursor of CDF's kind (a long base64url token) encoding the next offset. */
const cursorOf = (offset) =>
  Buffer.from(JSON.stringify({ offset, session: "bench-session-7f3c2a9e41d05b68", v: 2 })).toString("base64url");
const offsetOf = (cursor) => {
  if (cursor === undefined || cursor === null || cursor === "") return 0;
  return JSON.parse(Buffer.from(String(cursor), "base64url").toString("utf8")).offset;
};

const pages = new Map();
function page(start, limit) {
  const key = `${start}:${limit}`;
  let bytes = pages.get(key);
  if (bytes === undefined) {
    const end = Math.min(start + limit, total);
    const items = [];
    for (let i = start; i < end; i++) items.push(item(i));
    const body = end < total ? { items, nextCursor: cursorOf(end) } : { items };
    bytes = Buffer.from(JSON.stringify(body));
    pages.set(key, bytes);
  }
  return bytes;
}

function answer(res, status, bytes) {
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": bytes.byteLength,
    "x-request-id": "req_bench",
  });
  res.end(bytes);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const url = new URL(req.url ?? "/", "http://x");
      let limit;
      let cursor;
      if (req.method === "GET" && /\/files$/.test(url.pathname)) {
        limit = url.searchParams.get("limit");
        cursor = url.searchParams.get("cursor");
      } else if (req.method === "POST" && /\/files\/list$/.test(url.pathname)) {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
        limit = body.limit;
        cursor = body.cursor;
      } else {
        return answer(res, 404, Buffer.from('{"error":{"code":404,"message":"not found"}}'));
      }
      const size = Math.min(Math.max(Number(limit ?? 100), 1), 1000);
      answer(res, 200, page(offsetOf(cursor), size));
    } catch (error) {
      answer(res, 400, Buffer.from(JSON.stringify({ error: { code: 400, message: String(error) } })));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
