// files.update, files.delete and files.downloadLink take any number of items: chunks of the spec's
// maxItems (from the generated constraints), maxConcurrency in flight, results in request order,
// a chunk failing for good aborts the rest and the error says which items succeeded.
import { json } from "@org/testing";
import { expect, test } from "vitest";
import { operationMeta } from "../src/generated/operations.js";
import { BadRequestError, type CogniteApiError, createCogniteClient, InternalServerError } from "../src/index.js";
import { delay, ids, itemsOf, metadataFor, PROJECT, serve, TOKEN } from "./support.js";

const cognite = (baseUrl: string, extra: { maxConcurrency?: number; maxRetries?: number } = {}) =>
  createCogniteClient({ project: PROJECT, baseUrl, token: TOKEN, ...extra });
const firstId = (req: { body: string }) => (itemsOf(req)[0] as { id: number }).id;
const idsOf = (items: readonly object[]) => items.map((i) => (i as { id: number }).id);

test("the chunk sizes are the spec's maxItems", () => {
  expect(operationMeta["files.update"].constraints.items.maxItems).toBe(1000);
  expect(operationMeta["files.delete"].constraints.items.maxItems).toBe(1000);
  expect(operationMeta["files.downloadLink"].constraints.items.maxItems).toBe(100);
});

test("update: 2500 items → chunks of 1000, 1000, 500, updated files in request order, not retried", async () => {
  const server = await serve(async (req, res) => {
    await delay(firstId(req) === 1 ? 40 : 0); // the first chunk answers last
    json(res, 200, { items: itemsOf(req).map(metadataFor) });
  });
  const items = ids(2500).map(({ id }) => ({ id, update: { source: { set: "sap" } } }));
  const result = await cognite(server.url).files.update({ items });
  expect(idsOf(result.items)).toEqual(idsOf(items));
  expect(server.requests.map((r) => [r.url, itemsOf(r).length]).sort()).toEqual([
    ["/files/update", 1000],
    ["/files/update", 1000],
    ["/files/update", 500],
  ]);
  expect(JSON.parse(server.requests[0]?.body ?? "{}").items[0].update).toEqual({ source: { set: "sap" } });
  const failing = await serve((_req, res) => json(res, 503, {}, { "retry-after-ms": "1" }));
  await expect(cognite(failing.url).files.update({ items: items.slice(0, 1) })).rejects.toBeInstanceOf(
    InternalServerError,
  );
  expect(failing.requests).toHaveLength(1); // update is not idempotent in the spec
});

test("delete: chunks of 1000 with ignoreUnknownIds in each; a failed chunk reports what was deleted", async () => {
  const server = await serve((req, res) =>
    firstId(req) === 1001 ? json(res, 400, { error: { code: 400, message: "nope" } }) : json(res, 200, {}),
  );
  const error = (await cognite(server.url, { maxConcurrency: 1 })
    .files.delete({ items: ids(2500), ignoreUnknownIds: true })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(BadRequestError);
  expect(idsOf(error.succeeded ?? [])).toEqual(idsOf(ids(1000)));
  expect(idsOf(error.failed ?? [])).toEqual(idsOf(ids(1500, 1001)));
  expect(server.requests).toHaveLength(2); // the third chunk is never sent
  expect(server.requests.map((r) => JSON.parse(r.body).ignoreUnknownIds)).toEqual([true, true]);
  const ok = await serve((_req, res) => json(res, 200, {}));
  expect(await cognite(ok.url).files.delete({ items: ids(1001) })).toEqual({});
  expect(ok.requests.map((r) => itemsOf(r).length).sort()).toEqual([1, 1000]);
});

test("downloadLink: 250 items → 100, 100, 50, links in order, concurrency bounded, 503 retried", async () => {
  let failed = false;
  const server = await serve(async (req, res) => {
    if (firstId(req) === 101 && !failed) {
      failed = true;
      return json(res, 503, {}, { "retry-after-ms": "1" });
    }
    await delay(30);
    json(res, 200, {
      items: itemsOf(req).map((i) => ({ ...i, downloadUrl: `https://dl/${(i as { id: number }).id}` })),
    });
  });
  const result = await cognite(server.url, { maxConcurrency: 2 }).files.downloadLink({
    items: ids(250),
    extendedExpiration: true,
  });
  expect(result.items.map((l) => l.downloadUrl)).toEqual(ids(250).map((i) => `https://dl/${i.id}`));
  expect(server.requests.map((r) => r.url)).toEqual(Array(4).fill("/files/downloadlink?extendedExpiration=true"));
  expect(server.requests.map((r) => itemsOf(r).length).sort()).toEqual([100, 100, 100, 50].sort());
  expect(server.maxInFlight()).toBe(2);
});

test("downloadLink: a chunk failing for good aborts the one in flight; succeeded holds the links obtained", async () => {
  const server = await serve(async (req, res) => {
    const first = firstId(req);
    if (first === 1) return json(res, 200, { items: itemsOf(req).map((i) => ({ ...i, downloadUrl: "u" })) });
    if (first === 201) return; // never answers: aborted
    await delay(20);
    json(res, 400, { error: { code: 400, message: "bad" } });
  });
  const error = (await cognite(server.url, { maxConcurrency: 3 })
    .files.downloadLink({ items: ids(300) })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(BadRequestError);
  expect(idsOf(error.succeeded ?? [])).toEqual(idsOf(ids(100)));
  expect(idsOf(error.failed ?? [])).toEqual(idsOf(ids(200, 101)));
  await expect.poll(() => server.inFlight(), { timeout: 2_000 }).toBe(0);
});

test("bad items → InvalidParamsError, nothing sent; no items → no request", async () => {
  const server = await serve((_req, res) => json(res, 200, { items: [] }));
  const files = cognite(server.url).files;
  expect(() => files.delete({ items: [{ id: 0 }] })).toThrow(/id must be/);
  expect(() => files.update({ items: [{ id: 1 } as never] })).toThrow(/update must be/);
  // a field the spec does not let a file patch (a typo, or one only id/externalId items may patch)
  expect(() =>
    files.update({
      items: [
        { id: 1, update: { source: { set: "a" } } },
        { id: 2, update: { nmae: { set: "x" } } as never },
      ],
    }),
  ).toThrow(/items\[1\]: update\.nmae is not a field a file can patch \(externalId, directory, source/);
  expect(() =>
    files.update({
      items: [{ instanceId: { space: "s", externalId: "f" }, update: { directory: { set: "/d" } } as never }],
    }),
  ).toThrow(/update\.directory is not a field a file named by instanceId can patch/);
  expect(() => files.downloadLink({ items: [{ id: 1, externalId: "x" } as never] })).toThrow(/exactly one/);
  expect(await files.update({ items: [] })).toEqual({ items: [] });
  expect(await files.downloadLink({ items: [] })).toEqual({ items: [] });
  expect(server.requests).toHaveLength(0);
});
