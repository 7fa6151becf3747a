// folders.list pages (Coze's page_num / page_size / has_more, inside the envelope) and files.upload
// sends multipart, against a real local server; bad input fails before anything is sent.
import { Readable } from "node:stream";
import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import { createCozeClient, type FoldersListItem, InvalidParamsError, toFile } from "../src/index.js";
import { FILE, FOLDER, ok, serve, TOKEN } from "./support.js";

const client = (baseUrl: string) => createCozeClient({ token: TOKEN, baseUrl, maxRetries: 0 });

/** Three pages of two folders; `has_more` false on the last. */
function pagedFolders() {
  return serve((req, res) => {
    const page = Number(new URL(req.url ?? "/", "http://x").searchParams.get("page_num") ?? "1");
    const items = [0, 1].map((i) => ({ ...FOLDER, id: `${page}-${i}` }));
    json(res, 200, ok({ items, has_more: page < 3, total_count: 6 }));
  });
}

const query = (url: string | undefined) => Object.fromEntries(new URL(url ?? "/", "http://x").searchParams);

describe("folders.list", () => {
  test("for await walks every page, page_num counting up, the other params kept", async () => {
    const server = await pagedFolders();
    const seen: string[] = [];
    for await (const folder of client(server.url).folders.list({
      workspace_id: "5123945629000",
      folder_type: "development",
      page_size: 2,
    })) {
      seen.push(folder.id);
    }
    expect(seen).toEqual(["1-0", "1-1", "2-0", "2-1", "3-0", "3-1"]);
    expect(server.requests.map((r) => query(r.url))).toEqual(
      [1, 2, 3].map((n) => ({
        workspace_id: "5123945629000",
        folder_type: "development",
        page_size: "2",
        ...(n > 1 ? { page_num: String(n) } : {}),
      })),
    );
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  test("breaking out of the loop stops further requests", async () => {
    const server = await pagedFolders();
    const seen: FoldersListItem[] = [];
    for await (const folder of client(server.url).folders.list({ workspace_id: "1", folder_type: "library" })) {
      seen.push(folder);
      if (folder.id === "2-0") break;
    }
    expect(seen.map((f) => f.id)).toEqual(["1-0", "1-1", "2-0"]);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests).toHaveLength(2);
  });

  test("the first page: items, the envelope's data, hasNextPage / getNextPage", async () => {
    const server = await pagedFolders();
    const first = await client(server.url).folders.list({ workspace_id: "1", folder_type: "development" });
    expect(first.items.map((f) => f.id)).toEqual(["1-0", "1-1"]);
    expect(first.result.has_more).toBe(true);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.items.map((f) => f.id)).toEqual(["2-0", "2-1"]);
    expect(server.requests).toHaveLength(2);
  });

  test("a page size or folder type outside the spec fails before sending", async () => {
    const server = await pagedFolders();
    const coze = client(server.url);
    await expect(coze.folders.list({ workspace_id: "1", folder_type: "development", page_size: 51 })).rejects.toThrow(
      /^coze folders\.list GET \/v1\/folders: parameter "page_size" must be ≤ 50, got 51/,
    );
    await expect(
      // @ts-expect-error not a folder type
      coze.folders.list({ workspace_id: "1", folder_type: "shared" }),
    ).rejects.toBeInstanceOf(InvalidParamsError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("files.upload", () => {
  test("a Node stream goes as multipart field `file`, with its name and type; resolves to the File", async () => {
    const server = await serve(async (req, res) => {
      const form = await new Response(req.body, {
        headers: { "content-type": req.headers["content-type"] ?? "" },
      }).formData();
      const file = form.get("file");
      if (!(file instanceof Blob)) return json(res, 400, { code: 4000, msg: "no file" });
      json(res, 200, ok({ ...FILE, file_name: (file as File).name, bytes: file.size, type: file.type }));
    });
    const content = Readable.from([Buffer.from("hello "), Buffer.from("coze")]);
    const uploaded = await client(server.url).files.upload({
      file: toFile(content, "hello.txt", { type: "text/plain" }),
    });
    expect(uploaded).toMatchObject({ id: FILE.id, file_name: "hello.txt", bytes: 10 });
    expect(server.requests[0]?.method).toBe("POST");
    expect(server.requests[0]?.url).toBe("/v1/files/upload");
    expect(server.requests[0]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  test("a value that is not a file, or no file at all, fails before sending", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    const coze = client(server.url);
    // @ts-expect-error a path is not a file
    await expect(coze.files.upload({ file: "./photo.jpg" })).rejects.toBeInstanceOf(InvalidParamsError);
    // @ts-expect-error file is required
    await expect(coze.files.upload({})).rejects.toThrow(
      /^coze files\.upload POST \/v1\/files\/upload: missing required parameter "file"/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
