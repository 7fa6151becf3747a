import { json } from "@org/testing";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createCozeClient, InvalidParamsError } from "../src/index.js";
import { FILE, FOLDER, ok, serve, TOKEN } from "./support.js";

describe("file_id is encoded as one query value", () => {
  test("abc&x=1 cannot inject a query parameter", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    await createCozeClient({ token: TOKEN, baseUrl: server.url }).files.retrieve({ file_id: "abc&x=1" });
    const url = new URL(server.requests[0]?.url ?? "", server.url);
    expect(url.pathname).toBe("/v1/files/retrieve");
    expect([...url.searchParams.keys()]).toEqual(["file_id"]);
    expect(url.searchParams.get("file_id")).toBe("abc&x=1");
  });

  test("any string round-trips exactly and adds no parameter (property)", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const coze = createCozeClient({ token: TOKEN, baseUrl: server.url });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, unit: "grapheme" }), async (fileId) => {
        const before = server.requests.length;
        await coze.files.retrieve({ file_id: fileId });
        const url = new URL(server.requests[before]?.url ?? "", server.url);
        expect(url.pathname).toBe("/v1/files/retrieve");
        expect([...url.searchParams.keys()]).toEqual(["file_id"]);
        expect(url.searchParams.get("file_id")).toBe(fileId);
      }),
      { numRuns: 60 },
    );
  });
});

describe("folder_id is encoded as one path segment", () => {
  test.each([
    ["../files/retrieve", "/v1/folders/..%2Ffiles%2Fretrieve"],
    ["a?file_id=1", "/v1/folders/a%3Ffile_id%3D1"],
    ["a#b", "/v1/folders/a%23b"],
    ["项目", "/v1/folders/%E9%A1%B9%E7%9B%AE"],
  ])("%j → %s", async (folderId, expected) => {
    const server = await serve((_req, res) => json(res, 200, ok(FOLDER)));
    await createCozeClient({ token: TOKEN, baseUrl: server.url }).folders.retrieve({ folder_id: folderId });
    expect(server.requests[0]?.url).toBe(expected);
  });

  test("missing, empty or dot-segment ids are rejected before any request", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FOLDER)));
    const coze = createCozeClient({ token: TOKEN, baseUrl: server.url });
    await expect(coze.folders.retrieve({ folder_id: "" })).rejects.toBeInstanceOf(InvalidParamsError);
    // dot segments would be collapsed by URL parsers even when percent-encoded
    await expect(coze.folders.retrieve({ folder_id: ".." })).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(coze.folders.retrieve({ folder_id: "." })).rejects.toBeInstanceOf(InvalidParamsError);
    await expect(coze.files.retrieve({} as { file_id: string })).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });
});
