import { fakeClock, json, track, until } from "@org/testing";
import { describe, expect, test } from "vitest";
import {
  BadRequestError,
  CHUNK_SIZE,
  CogniteApiError,
  createCogniteClient,
  type FileIdentifier,
  type FileMetadata,
  InvalidParamsError,
} from "../src/index.js";
import { byIds, delay, ids, itemsOf, metadataFor, PROJECT, serve, TOKEN } from "./support.js";

const cognite = (baseUrl: string, extra: { maxConcurrency?: number; maxRetries?: number } = {}) =>
  createCogniteClient({ project: PROJECT, baseUrl, token: TOKEN, ...extra });

describe("chunking", () => {
  test("2500 items → requests of 1000, 1000 and 500, POST /files/byids", async () => {
    expect(CHUNK_SIZE).toBe(1000);
    const server = await serve((req, res) => byIds(req, res));
    const items = ids(2500);
    const files = await cognite(server.url).files.retrieveMultiple({ items });
    expect(files.map((f) => f.id)).toEqual(items.map((i) => i.id));
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([
      ["POST", "/files/byids"],
      ["POST", "/files/byids"],
      ["POST", "/files/byids"],
    ]);
    const sent = server.requests.map((r) => itemsOf(r));
    expect(sent.map((s) => s.length).sort()).toEqual([1000, 1000, 500]);
    expect(
      sent
        .flat()
        .map((i) => ("id" in i ? i.id : 0))
        .sort((a, b) => a - b),
    ).toEqual(items.map((i) => i.id));
  });

  test("exactly 1000 items → one request; 1001 → two", async () => {
    const server = await serve((req, res) => byIds(req, res));
    await cognite(server.url).files.retrieveMultiple({ items: ids(1000) });
    expect(server.requests).toHaveLength(1);
    await cognite(server.url).files.retrieveMultiple({ items: ids(1001) });
    expect(server.requests).toHaveLength(3);
  });

  test("ignoreUnknownIds is sent with every chunk when given, and omitted otherwise", async () => {
    const server = await serve((req, res) => byIds(req, res));
    await cognite(server.url).files.retrieveMultiple({ items: ids(1500), ignoreUnknownIds: true });
    await cognite(server.url).files.retrieveMultiple({ items: ids(1) });
    const bodies = server.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.slice(0, 2).map((b) => b.ignoreUnknownIds)).toEqual([true, true]);
    expect(Object.keys(bodies[2] ?? {})).toEqual(["items"]);
  });
});

describe("concurrency", () => {
  const slow = () =>
    serve(async (req, res) => {
      await delay(40);
      byIds(req, res);
    });

  test("at most 4 requests in flight by default", async () => {
    const server = await slow();
    await cognite(server.url).files.retrieveMultiple({ items: ids(10 * CHUNK_SIZE) });
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight()).toBe(4);
  });

  test("maxConcurrency is configurable", async () => {
    const server = await slow();
    await cognite(server.url, { maxConcurrency: 2 }).files.retrieveMultiple({ items: ids(6 * CHUNK_SIZE) });
    expect(server.maxInFlight()).toBe(2);
    const serial = await slow();
    await cognite(serial.url, { maxConcurrency: 1 }).files.retrieveMultiple({ items: ids(3 * CHUNK_SIZE) });
    expect(serial.maxInFlight()).toBe(1);
  });

  test.each([0, -1, 1.5, Number.NaN])("maxConcurrency %s → InvalidParamsError", (maxConcurrency) => {
    expect(() => cognite("http://127.0.0.1:1", { maxConcurrency })).toThrow(InvalidParamsError);
  });

  test("results keep the request order even when later chunks answer first", async () => {
    const server = await serve(async (req, res) => {
      const first = itemsOf(req)[0] as { id: number };
      await delay(first.id === 1 ? 150 : first.id === 1001 ? 80 : 0); // chunk 1 answers last
      byIds(req, res);
    });
    const items: FileIdentifier[] = ids(3 * CHUNK_SIZE);
    const files = await cognite(server.url).files.retrieveMultiple({ items });
    expect(files.map((f) => f.id)).toEqual(items.map((i) => ("id" in i ? i.id : 0)));
  });
});

describe("429 is retried with backoff honouring Retry-After", () => {
  const clock = fakeClock();

  test("a chunk answered 429 with Retry-After: 1 is sent again exactly 1 s later", async () => {
    clock.start();
    let limited = false;
    const server = await serve((req, res) => {
      const first = itemsOf(req)[0] as { id: number };
      if (first.id === 1001 && !limited) {
        limited = true;
        json(res, 429, { error: { code: 429, message: "Too many concurrent requests" } }, { "retry-after": "1" });
        return;
      }
      byIds(req, res);
    });
    const chunk2 = () => server.requests.filter((r) => (itemsOf(r)[0] as { id: number }).id === 1001);
    const call = track(cognite(server.url).files.retrieveMultiple({ items: ids(2000) }));
    await until(() => chunk2().length === 1, "the second chunk");
    await clock.armed(1000);
    await clock.advance(999);
    expect(chunk2(), "chunk 2 sent again before 1 s").toHaveLength(1);
    await clock.advance(1);
    await until(() => chunk2().length === 2, "the second chunk's retry");
    const [first, again] = chunk2();
    expect((again?.at ?? 0) - (first?.at ?? 0)).toBe(1000);
    await until(() => call.settled, "retrieveMultiple to end");
    expect(call.error).toBeUndefined();
    expect(call.value).toHaveLength(2000);
    expect(server.requests).toHaveLength(3);
  });
});

describe("a chunk that finally fails", () => {
  const failSecondChunk = () =>
    serve(async (req, res) => {
      const first = itemsOf(req)[0] as { id: number };
      if (first.id === 1001) {
        // the failure comes last: the chunks sent with it have answered by then (a failure aborts
        // whatever is still in flight: see batch-abort.test.ts)
        await delay(150);
        json(
          res,
          400,
          { error: { code: 400, message: "Files not found", missing: [{ id: 1500 }] } },
          { "x-request-id": "req-chunk-2" },
        );
      } else byIds(req, res);
    });

  test("the error carries `succeeded` (files retrieved) and `failed` (items not retrieved)", async () => {
    const server = await failSecondChunk();
    const items = ids(3 * CHUNK_SIZE);
    const error = await cognite(server.url)
      .files.retrieveMultiple({ items })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(error).toBeInstanceOf(BadRequestError);
    const e = error as CogniteApiError;
    expect(e).toMatchObject({ status: 400, code: 400, requestId: "req-chunk-2", missing: [{ id: 1500 }] });
    // all three chunks were in flight at once (concurrency 4): chunks 1 and 3 answered first
    expect((e.succeeded as FileMetadata[] | undefined)?.map((f) => f.id)).toEqual(
      [...ids(1000), ...ids(1000, 2001)].map((i) => i.id),
    );
    expect(e.failed).toEqual(ids(1000, 1001));
    expect(e.succeeded?.[0]).toEqual(metadataFor({ id: 1 }));
  });

  test("chunks not sent after the failure are listed in `failed`", async () => {
    const server = await failSecondChunk();
    const error = (await cognite(server.url, { maxConcurrency: 1 })
      .files.retrieveMultiple({ items: ids(3 * CHUNK_SIZE) })
      .catch((e: unknown) => e)) as CogniteApiError;
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(server.requests).toHaveLength(2);
    expect((error.succeeded as FileMetadata[] | undefined)?.map((f) => f.id)).toEqual(ids(1000).map((i) => i.id));
    expect(error.failed).toEqual(ids(2000, 1001));
  });
});
