// What the emitter writes for small inline specs: named types (schemas, params, results, page
// items), the Resources interface on those names, createResources on call/page, and name collisions.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import {
  checkResultPaths,
  emitOperations,
  emitTypes,
  GenerationError,
  generatePackage,
  listOperations,
  type OpenApiDocument,
  pascalCase,
  resultPathOf,
  typeNames,
} from "../src/index.js";
import { json, oneOp } from "./support.js";

/** Files: upload (multipart), retrieve (JSON, enveloped), content (binary); folders: list (paginated). */
const api: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Test", version: "1" },
  paths: {
    "/files": {
      post: {
        operationId: "files.upload",
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                required: ["file"],
                properties: { file: { type: "string", format: "binary" }, purpose: { type: "string" } },
              },
            },
          },
        },
        responses: { "200": json({ $ref: "#/components/schemas/FileEnvelope" }) },
      },
    },
    "/files/{id}": {
      get: {
        operationId: "files.retrieve",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": json({ $ref: "#/components/schemas/FileEnvelope" }) },
      },
    },
    "/files/{id}/content": {
      get: {
        operationId: "files.content",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "bytes", content: { "application/octet-stream": {} } } },
      },
    },
    "/folders": {
      get: {
        operationId: "folders.list",
        parameters: [
          { name: "page", in: "query", schema: { type: "integer" } },
          { name: "X-Space", in: "header", required: true, schema: { type: "string" } },
        ],
        "x-pagination": { style: "page", itemsPath: "items", pageParam: "page", hasMorePath: "has_more" },
        responses: {
          "200": json({
            type: "object",
            properties: {
              data: {
                type: "object",
                properties: {
                  items: { type: "array", items: { $ref: "#/components/schemas/folder_info" } },
                  has_more: { type: "boolean" },
                },
              },
            },
          }),
        },
      },
    },
  },
  components: {
    schemas: {
      File: { type: "object", description: "A file.", properties: { id: { type: "string" } } },
      FileEnvelope: {
        type: "object",
        properties: { code: { type: "integer" }, data: { $ref: "#/components/schemas/File" } },
      },
      folder_info: { type: "object", properties: { id: { type: "string" } } },
    },
  },
};
const ops = listOperations(api);
const data = () => "data";

describe("types.ts", () => {
  const types = emitTypes(api, ops, data);

  test("a PascalCase alias per named schema, with its description", () => {
    expect(types).toContain('/**\n * A file.\n */\nexport type File = components["schemas"]["File"];');
    expect(types).toContain('export type FileEnvelope = components["schemas"]["FileEnvelope"];');
    expect(types).toContain('export type FolderInfo = components["schemas"]["folder_info"];');
  });

  test("<Resource><Method>Params; multipart file fields through WithFiles", () => {
    expect(types).toContain('export type FilesRetrieveParams = OperationParams<operations["files.retrieve"]>;');
    expect(types).toContain(
      'export type FilesUploadParams = WithFiles<OperationParams<operations["files.upload"]>, "file">;',
    );
  });

  test("<Resource><Method>Result at the result path; a binary result is the Blob itself", () => {
    expect(types).toContain(
      'export type FilesRetrieveResult = AtPath<SuccessBody<operations["files.retrieve"]>, "data">;',
    );
    expect(types).toContain('export type FilesContentResult = SuccessBody<operations["files.content"]>;');
  });

  test("without a result path, the success body", () => {
    expect(emitTypes(api, ops)).toContain(
      'export type FilesRetrieveResult = SuccessBody<operations["files.retrieve"]>;',
    );
  });

  test("<Resource><Method>Item for a paginated operation", () => {
    expect(types).toContain('export type FoldersListItem = PageItem<FoldersListResult, "items">;');
    expect(types).not.toContain("FilesRetrieveItem");
  });

  test("imports only what it uses", () => {
    expect(types).toContain(
      'import type { AtPath, OperationParams, PageItem, SuccessBody, WithFiles } from "@org/client-core";',
    );
    const plain = emitTypes(oneOp({}), listOperations(oneOp({})));
    expect(plain).toContain('import type { OperationParams, SuccessBody } from "@org/client-core";');
    expect(plain).toContain('import type { operations } from "./schema.js";');
  });
});

describe("operations.ts", () => {
  const source = emitOperations(api, ops);

  test("method signatures use the generated names", () => {
    expect(source).toContain(
      "retrieve(params: FilesRetrieveParams, options?: RequestOptions): APIPromise<FilesRetrieveResult>;",
    );
    expect(source).toContain(
      "upload(params: FilesUploadParams, options?: RequestOptions): APIPromise<FilesUploadResult>;",
    );
    expect(source).not.toContain('components["schemas"]');
    expect(source).not.toMatch(/Resources</);
  });

  test("a paginated method returns a PagePromise and is built on page", () => {
    expect(source).toContain(
      "list(params: FoldersListParams, options?: RequestOptions): PagePromise<FoldersListItem, FoldersListResult>;",
    );
    expect(source).toContain('list: (params, options) => page(operationMeta["folders.list"], params, options),');
    expect(source).toContain('retrieve: (params, options) => call(operationMeta["files.retrieve"], params, options),');
    expect(source).toContain("export function createResources({ call, page }: ResourceCallers): Resources {");
    expect(source).toContain("readonly page: PageCaller;");
  });

  test("without paginated operations, createResources needs only call", () => {
    const plain = emitOperations(oneOp({}), listOperations(oneOp({})));
    expect(plain).toContain("export function createResources({ call }: ResourceCallers): Resources {");
    expect(plain).not.toContain("PageCaller");
    expect(plain).not.toContain("PagePromise");
  });

  test("params are optional only when none is required", () => {
    expect(source).toContain("content(params: FilesContentParams");
    const optional = oneOp({ parameters: [{ name: "q", in: "query", schema: { type: "string" } }] });
    expect(emitOperations(optional, listOperations(optional))).toContain("act(params?: ThingsActParams,");
  });

  test("the meta carries the new fields", () => {
    expect(source).toContain('"bodyKind": "multipart",\n    "fileFields": ["file"],');
    expect(source).toContain('"binaryResponse": true,');
    expect(source).toContain('"headerParams": ["X-Space"],');
    expect(source).toContain('"required": ["X-Space"],');
    expect(source).toContain(
      '"pagination": { "style": "page", "itemsPath": "items", "pageParam": "page", "hasMorePath": "has_more" },',
    );
    expect(source).toContain('"constraints": {\n      "id": { "type": "string" },\n    },');
  });
});

describe("names", () => {
  test("pascalCase", () => {
    expect(["file_link", "fileMetadata", "File", "folder-info.v2"].map(pascalCase)).toEqual([
      "FileLink",
      "FileMetadata",
      "File",
      "FolderInfoV2",
    ]);
  });

  const collide = (doc: OpenApiDocument) => () => typeNames(doc, listOperations(doc));

  test("a schema named like an operation's type", () => {
    const doc = oneOp({}, { components: { schemas: { ThingsActResult: { type: "object" } } } });
    expect(collide(doc)).toThrow(GenerationError);
    expect(collide(doc)).toThrow(
      'type name collision: the result of things.act and schema "ThingsActResult" are both named ThingsActResult',
    );
  });

  test("two schemas with the same PascalCase name", () => {
    const doc = oneOp({}, { components: { schemas: { file_link: {}, FileLink: {} } } });
    expect(collide(doc)).toThrow(
      'type name collision: schema "FileLink" and schema "file_link" are both named FileLink',
    );
  });

  test("a schema named like an import of the generated module", () => {
    for (const name of ["AtPath", "with_files", "operation-params", "page_item"]) {
      const doc = oneOp({}, { components: { schemas: { [name]: {} } } });
      expect(collide(doc)).toThrow(/type name collision: schema "[\w-]+" and the import \w+ are both named/);
    }
  });

  test("two operationIds with the same PascalCase name", () => {
    const doc: OpenApiDocument = {
      openapi: "3.1.0",
      paths: {
        "/a": { get: { operationId: "a.bC", responses: { "200": json() } } },
        "/b": { get: { operationId: "aB.c", responses: { "200": json() } } },
      },
    };
    expect(collide(doc)).toThrow(
      "type name collision: the params of aB.c and the params of a.bC are both named ABCParams",
    );
  });

  test("a paginated operation's item", () => {
    const doc = oneOp(
      {
        parameters: [{ name: "page", in: "query", schema: { type: "integer" } }],
        "x-pagination": { style: "page", itemsPath: "items", pageParam: "page" },
      },
      { components: { schemas: { ThingsActItem: {} } } },
    );
    expect(collide(doc)).toThrow("the page item of things.act and schema");
  });

  test("a schema name that is not an identifier", () => {
    const doc = oneOp({}, { components: { schemas: { "2fa": {} } } });
    expect(collide(doc)).toThrow('schema "2fa": "2fa" is not a valid type name');
  });
});

describe("result and pagination paths", () => {
  test("valid paths pass", () => {
    expect(() => checkResultPaths(api, ops, data)).not.toThrow();
  });

  test("a result path the success body does not have", () => {
    expect(() => checkResultPaths(api, ops, () => "payload")).toThrow(
      'files.upload (POST /files): the result path "payload" (openapi.client) is not in the success body',
    );
  });

  test("an itemsPath the result does not have", () => {
    const doc = structuredClone(api);
    const list = doc.paths?.["/folders"]?.get as { "x-pagination": { itemsPath: string } };
    list["x-pagination"].itemsPath = "folders";
    expect(() => checkResultPaths(doc, listOperations(doc), data)).toThrow(
      'folders.list (GET /folders): x-pagination itemsPath "folders" is not in the result (the body\'s "data")',
    );
  });

  test("an itemsPath that is not an array", () => {
    const doc = structuredClone(api);
    const list = doc.paths?.["/folders"]?.get as { "x-pagination": { itemsPath: string } };
    list["x-pagination"].itemsPath = "has_more";
    expect(() => checkResultPaths(doc, listOperations(doc), data)).toThrow('itemsPath "has_more" is not an array');
  });

  test("a hasMorePath the result does not have", () => {
    const doc = structuredClone(api);
    const list = doc.paths?.["/folders"]?.get as { "x-pagination": { hasMorePath: string } };
    list["x-pagination"].hasMorePath = "more";
    expect(() => checkResultPaths(doc, listOperations(doc), data)).toThrow(
      'x-pagination hasMorePath "more" is not in the result',
    );
  });

  test("the per-operation result path wins over the package's", () => {
    const paths = resultPathOf({ resultPath: "data", operations: { "files.list": { resultPath: "items" } } });
    expect([paths("files.list"), paths("files.retrieve")]).toEqual(["items", "data"]);
  });
});

describe("generatePackage", () => {
  const scratch = mkdtempSync(join(tmpdir(), "codegen-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("writes schema.ts, types.ts and operations.ts with the @generated header, results at openapi.client.resultPath", async () => {
    const dir = join(scratch, "packages", "test-files");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(scratch, "api.yaml"), stringify(api));
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "@org/test-files", openapi: { spec: "api.yaml", client: { resultPath: "data" } } }),
    );
    const result = await generatePackage({ dir, spec: join(scratch, "api.yaml") }, scratch);
    expect(result).toEqual({
      files: ["schema.ts", "types.ts", "operations.ts"].map((f) => `packages/test-files/src/generated/${f}`),
      operations: 4,
    });
    for (const file of ["schema.ts", "types.ts", "operations.ts"]) {
      const text = readFileSync(join(dir, "src", "generated", file), "utf8");
      expect(text.startsWith("// @generated by scripts/generate.mjs from api.yaml.\n// Do not edit:")).toBe(true);
    }
    expect(readFileSync(join(dir, "src", "generated", "types.ts"), "utf8")).toContain(
      'export type FilesRetrieveResult = AtPath<SuccessBody<operations["files.retrieve"]>, "data">;',
    );
  });

  test("writes nothing when the spec cannot be generated", async () => {
    const dir = join(scratch, "packages", "bad-files");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(scratch, "bad.yaml"),
      stringify(oneOp({ parameters: [{ name: "s", in: "cookie", schema: {} }] })),
    );
    await expect(generatePackage({ dir, spec: join(scratch, "bad.yaml"), client: undefined }, scratch)).rejects.toThrow(
      'things.act (GET /things): cookie parameter "s": in: cookie is not supported',
    );
    expect(existsSync(join(dir, "src"))).toBe(false);
  });
});
