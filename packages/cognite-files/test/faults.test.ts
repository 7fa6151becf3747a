// Fault suite for @org/cognite-files against a real local HTTP server: the shared faults, Cognite's
// `missing` items, and batched retrieval against a server that limits concurrent requests.
import { describe, expect, test } from "vitest";
import { describeFaults, faultServer, timed } from "../../testing/src/faults.js";
import { json } from "../../testing/src/http-server.js";
import * as cognite from "../src/index.js";

const file = (id: number): cognite.FileMetadata => ({
  id,
  name: `file-${id}.pdf`,
  uploaded: true,
  createdTime: 1730204346000,
  lastUpdatedTime: 1730204346000,
});
const client = (baseUrl: string, options: { maxRetries: number; timeoutMs?: number; maxConcurrency?: number }) =>
  cognite.createCogniteClient({ project: "publicdata", token: "cognite_fault_suite_token", baseUrl, ...options });

describeFaults("cognite", {
  call: (baseUrl, options) => client(baseUrl, options).files.retrieve({ id: 42 }),
  successBody: file(42),
  expected: file(42),
  errors: { ...cognite, provider: cognite.CogniteApiError },
});

describe("cognite: missing items", () => {
  test("400 with error.missing: BadRequestError carrying `missing`, not retried", async () => {
    const body = { error: { code: 400, message: "Files ids not found", missing: [{ id: 7 }, { externalId: "gone" }] } };
    const server = await faultServer((_req, res) => json(res, 400, body, { "x-request-id": "req-missing" }));
    const { error, ms } = await timed(() =>
      client(server.url, { maxRetries: 2 }).files.retrieveMultiple({
        items: [{ id: 1 }, { id: 7 }, { externalId: "gone" }],
      }),
    );
    expect(error).toBeInstanceOf(cognite.CogniteApiError);
    expect(error).toBeInstanceOf(cognite.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code: 400,
      requestId: "req-missing",
      missing: [{ id: 7 }, { externalId: "gone" }],
      succeeded: [],
      failed: [{ id: 1 }, { id: 7 }, { externalId: "gone" }],
    });
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1500);
  });
});

/** Answers by-ids requests with one file per requested id after `delayMs`, or 429 when more than `limit` are in flight. */
async function limitedServer(limit: number, delayMs: (chunk: number[]) => number) {
  let rejected = 0;
  const server = await faultServer(async (req, res) => {
    if (server.inFlight() > limit) {
      rejected++;
      json(res, 429, { error: { code: 429, message: "Too many concurrent requests" } }, { "retry-after-ms": "10" });
      return;
    }
    const chunk = (JSON.parse(req.body) as { items: { id: number }[] }).items.map((item) => item.id);
    await new Promise((resolve) => setTimeout(resolve, delayMs(chunk)));
    json(res, 200, { items: chunk.map(file) });
  });
  return Object.assign(server, { rejected: () => rejected });
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("cognite: retrieveMultiple against a server that allows 4 requests in flight", () => {
  test("3000 items: 3 chunks of 1000, results in request order, no 429, at most 4 in flight", async () => {
    // later chunks answer first, so order cannot come from arrival order
    const server = await limitedServer(4, (chunk) => 120 - Math.floor((chunk[0] ?? 0) / 1000) * 40);
    const { value, error, ms } = await timed(() =>
      client(server.url, { maxRetries: 2 }).files.retrieveMultiple({ items: ids(3000).map((id) => ({ id })) }),
    );
    expect(error).toBeUndefined();
    expect((value as cognite.FileMetadata[]).map((f) => f.id)).toEqual(ids(3000));
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => (JSON.parse(r.body) as { items: unknown[] }).items.length)).toEqual([
      1000, 1000, 1000,
    ]);
    expect(server.rejected()).toBe(0);
    expect(server.maxInFlight()).toBeLessThanOrEqual(4);
    expect(ms).toBeLessThan(120 + 1500);
  });

  test("10000 items with the default maxConcurrency: exactly 4 in flight at most, no 429, in order", async () => {
    const server = await limitedServer(4, () => 40);
    const { value, error, ms } = await timed(() =>
      client(server.url, { maxRetries: 2 }).files.retrieveMultiple({ items: ids(10_000).map((id) => ({ id })) }),
    );
    expect(error).toBeUndefined();
    expect((value as cognite.FileMetadata[]).map((f) => f.id)).toEqual(ids(10_000));
    expect(server.requests).toHaveLength(10);
    expect(server.rejected()).toBe(0);
    expect(server.maxInFlight()).toBe(4);
    // 10 chunks, 4 at a time, 40 ms each: at least 3 rounds
    expect(ms).toBeGreaterThanOrEqual(120);
    expect(ms).toBeLessThan(120 + 1500);
  });

  test("maxConcurrency: 8 over the limit: the 429s are retried and every item still arrives in order", async () => {
    const server = await limitedServer(4, () => 40);
    const { value, error, ms } = await timed(() =>
      client(server.url, { maxRetries: 5, maxConcurrency: 8 }).files.retrieveMultiple({
        items: ids(8000).map((id) => ({ id })),
      }),
    );
    expect(error).toBeUndefined();
    expect((value as cognite.FileMetadata[]).map((f) => f.id)).toEqual(ids(8000));
    expect(server.rejected()).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(8 + server.rejected());
    expect(ms).toBeLessThan(2000);
  });
});
