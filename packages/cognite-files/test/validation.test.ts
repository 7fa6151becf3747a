import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import { createCogniteClient, type FileIdentifier, InvalidParamsError, MAX_ID } from "../src/index.js";
import { byIds, ids, metadataFor, PROJECT, serve, TOKEN } from "./support.js";

async function client() {
  const server = await serve((req, res) =>
    req.url === "/files/byids" ? byIds(req, res) : json(res, 200, metadataFor({ id: 1 })),
  );
  return { server, cdf: createCogniteClient({ project: PROJECT, baseUrl: server.url, token: TOKEN }) };
}

const badIds: [string, unknown][] = [
  ["0", 0],
  ["-1", -1],
  ["1.5", 1.5],
  ["2^53", MAX_ID + 1],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ['"1" (a string)', "1"],
  ["1n (a bigint)", 1n],
  ["null", null],
];

describe("files.retrieve: id must be an integer in 1..9007199254740991 (the spec's constraint, checked by the runtime)", () => {
  // the runtime's messages: `<operationId>: parameter "<name>" <rule>, got <value>`; a null path param is missing
  const rules: Record<string, string> = {
    "0": 'parameter "id" must be ≥ 1, got 0',
    "-1": 'parameter "id" must be ≥ 1, got -1',
    "1.5": 'parameter "id" must be an integer, got 1.5',
    "2^53": `parameter "id" must be ≤ ${MAX_ID}, got ${MAX_ID + 1}`,
    NaN: 'parameter "id" must be an integer, got NaN',
    Infinity: 'parameter "id" must be an integer, got Infinity',
    '"1" (a string)': 'parameter "id" must be an integer, got "1"',
    null: 'missing required parameter "id"',
  };
  test.each(badIds.filter(([name]) => name in rules))("id %s → InvalidParamsError, nothing sent", async (name, id) => {
    const { server, cdf } = await client();
    const error = await cdf.files.retrieve({ id } as { id: number }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect((error as Error).message).toBe(`cognite files.retrieve GET /files/{id}: ${rules[name]}`);
    expect(server.requests).toHaveLength(0);
  });

  test("a bigint id is an integer to the runtime: 1n is sent as /files/1", async () => {
    const { server, cdf } = await client();
    await cdf.files.retrieve({ id: 1n } as unknown as { id: number });
    expect(server.requests.map((r) => r.url)).toEqual(["/files/1"]);
  });

  test("an invalid id is reported through the returned promise, never thrown synchronously", async () => {
    const { cdf } = await client();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = cdf.files.retrieve({ id: 0 });
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(InvalidParamsError);
  });

  test("the bounds 1 and 9007199254740991 are accepted", async () => {
    const { server, cdf } = await client();
    await cdf.files.retrieve({ id: 1 });
    await cdf.files.retrieve({ id: MAX_ID });
    expect(server.requests.map((r) => r.url)).toEqual(["/files/1", `/files/${MAX_ID}`]);
  });
});

describe("files.retrieveMultiple: every item is checked before any request", () => {
  test.each(badIds)("{id: %s} → InvalidParamsError, nothing sent", async (_name, id) => {
    const { server, cdf } = await client();
    const error = await cdf.files
      .retrieveMultiple({ items: [{ id: 1 }, { id } as FileIdentifier] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect((error as Error).message).toContain("items[1]");
    expect(server.requests).toHaveLength(0);
  });

  test.each([
    ["empty", ""],
    ["256 characters", "x".repeat(256)],
  ])("externalId %s → InvalidParamsError, nothing sent", async (_name, externalId) => {
    const { server, cdf } = await client();
    await expect(cdf.files.retrieveMultiple({ items: [{ externalId }] })).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });

  test("externalId of 1 and of 255 characters is accepted", async () => {
    const { server, cdf } = await client();
    const files = await cdf.files.retrieveMultiple({ items: [{ externalId: "a" }, { externalId: "é".repeat(255) }] });
    expect(files.map((f) => f.externalId)).toEqual(["a", "é".repeat(255)]);
    expect(itemsSent(server.requests[0]?.body)).toEqual([{ externalId: "a" }, { externalId: "é".repeat(255) }]);
  });

  test.each([
    ["both id and externalId", { id: 1, externalId: "a" }],
    ["no identifier", {}],
    ["not an object", 1],
    ["an instanceId without space", { instanceId: { externalId: "a" } }],
  ])("an item with %s → InvalidParamsError", async (_name, item) => {
    const { server, cdf } = await client();
    await expect(cdf.files.retrieveMultiple({ items: [item as FileIdentifier] })).rejects.toBeInstanceOf(
      InvalidParamsError,
    );
    expect(server.requests).toHaveLength(0);
  });

  test("a bad item deep in a large batch stops the whole batch: not even the first chunk is sent", async () => {
    const { server, cdf } = await client();
    const items: FileIdentifier[] = [...ids(2500), { id: -5 }];
    await expect(cdf.files.retrieveMultiple({ items })).rejects.toThrow(/items\[2500\]/);
    expect(server.requests).toHaveLength(0);
  });

  test("items must be an array", async () => {
    const { server, cdf } = await client();
    await expect(
      cdf.files.retrieveMultiple({ items: { id: 1 } } as unknown as { items: FileIdentifier[] }),
    ).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });

  test("0 items → [] without a request", async () => {
    const { server, cdf } = await client();
    expect(await cdf.files.retrieveMultiple({ items: [] })).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

function itemsSent(body: string | undefined): unknown {
  return (JSON.parse(body ?? "{}") as { items: unknown }).items;
}

describe("instance IDs: the spec's patterns, taken from the generated constraints", () => {
  test.each([
    ["a space starting with a digit", { space: "1space", externalId: "a" }],
    ["a space of 44 characters", { space: "s".repeat(44), externalId: "a" }],
    ["an externalId with a hyphen", { space: "my_space", externalId: "pump-diagram" }],
    ["an empty externalId", { space: "my_space", externalId: "" }],
  ])("files.retrieveMultiple: %s → InvalidParamsError, nothing sent", async (_name, instanceId) => {
    const { server, cdf } = await client();
    await expect(cdf.files.retrieveMultiple({ items: [{ instanceId }] })).rejects.toThrow(/items\[0\]: instanceId\./);
    expect(server.requests).toHaveLength(0);
  });

  test("a valid instance ID is sent", async () => {
    const { server, cdf } = await client();
    await cdf.files.retrieveMultiple({ items: [{ instanceId: { space: "my_space", externalId: "pump_diagram" } }] });
    expect(server.requests).toHaveLength(1);
  });
});

describe("files.completeMultipartUpload: exactly one of id, externalId, instanceId with the uploadId", () => {
  test.each([
    ["no identifier", { uploadId: "u" }],
    ["two identifiers", { id: 1, externalId: "a", uploadId: "u" }],
    ["an id out of range", { id: 0, uploadId: "u" }],
  ])("%s → InvalidParamsError through the promise, nothing sent", async (_name, params) => {
    const { server, cdf } = await client();
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = cdf.files.completeMultipartUpload(params as { id: number; uploadId: string });
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });

  test("one identifier and the uploadId are sent as the body", async () => {
    const { server, cdf } = await client();
    await cdf.files.completeMultipartUpload({ externalId: "a", uploadId: "u" });
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({ externalId: "a", uploadId: "u" });
  });
});

describe("files.icon", () => {
  test("accepts any media type (the client-wide JSON Accept is not sent), a call's own Accept wins", async () => {
    const { server, cdf } = await client();
    await cdf.files.icon({ id: 1 }).catch(() => undefined);
    await cdf.files.icon({ id: 1 }, { headers: { accept: "image/*" } }).catch(() => undefined);
    expect(server.requests.map((r) => [r.url, r.headers.accept])).toEqual([
      ["/files/icon?id=1", "*/*"],
      ["/files/icon?id=1", "image/*"],
    ]);
  });
});
