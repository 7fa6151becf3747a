// files.retrieveMultiple: a chunk that fails for good ends the call at once — the chunks still in
// flight are aborted (their connections closed) and their pending retries never happen; the error
// still says which files were retrieved and which items were not.
import { json } from "@org/testing";
import { expect, test } from "vitest";
import {
  BadRequestError,
  CHUNK_SIZE,
  type CogniteApiError,
  createCogniteClient,
  type FileMetadata,
} from "../src/index.js";
import { byIds, ids, itemsOf, PROJECT, serve, TOKEN } from "./support.js";

const cognite = (baseUrl: string) => createCogniteClient({ project: PROJECT, baseUrl, token: TOKEN });
const firstId = (req: { body: string }) => (itemsOf(req)[0] as { id: number }).id;

test("a chunk failing for good aborts a chunk still in flight", async () => {
  let chunk3Closed = false;
  let chunk3Arrived: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    chunk3Arrived = resolve;
  });
  const server = await serve(async (req, res) => {
    const first = firstId(req);
    if (first === 1) return byIds(req, res);
    if (first === 2001) {
      res.on("close", () => {
        chunk3Closed = true;
      });
      chunk3Arrived();
      return; // never answers
    }
    await arrived; // chunk 2 fails once chunk 3 is in flight
    json(res, 400, { error: { code: 400, message: "Files not found", missing: [{ id: 1500 }] } });
  });
  const started = Date.now();
  const error = (await cognite(server.url)
    .files.retrieveMultiple({ items: ids(3 * CHUNK_SIZE) })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(BadRequestError);
  expect(Date.now() - started).toBeLessThan(5_000); // not the 60 s timeout of chunk 3
  expect((error.succeeded as FileMetadata[] | undefined)?.map((f) => f.id)).toEqual(ids(1000).map((i) => i.id));
  expect(error.failed).toEqual(ids(2000, 1001));
  await expect.poll(() => chunk3Closed, { timeout: 2_000 }).toBe(true);
});

test("a chunk failing for good cancels another chunk's pending retry", async () => {
  let chunk3Limited: () => void = () => {};
  const limited = new Promise<void>((resolve) => {
    chunk3Limited = resolve;
  });
  const server = await serve(async (req, res) => {
    const first = firstId(req);
    if (first === 1) return byIds(req, res);
    if (first === 2001) {
      json(res, 429, { error: { code: 429, message: "slow down" } }, { "retry-after": "30" });
      chunk3Limited();
      return;
    }
    await limited; // chunk 2 fails while chunk 3 waits 30 s to retry
    json(res, 400, { error: { code: 400, message: "bad" } });
  });
  const started = Date.now();
  const error = (await cognite(server.url)
    .files.retrieveMultiple({ items: ids(3 * CHUNK_SIZE) })
    .catch((e: unknown) => e)) as CogniteApiError;
  expect(error).toBeInstanceOf(BadRequestError);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(error.failed).toEqual(ids(2000, 1001));
  await new Promise((r) => setTimeout(r, 100));
  expect(server.requests.filter((r) => firstId(r) === 2001)).toHaveLength(1); // no retry was sent
});
