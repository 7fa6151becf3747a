// listOperations on small inline specs: what it reads (header params, multipart bodies, binary
// responses, constraints, pagination) and everything it refuses, each with the operation and the
// construct named in the message.
import { Blob } from "node:buffer";
import { describe, expect, test } from "vitest";
import {
  exampleParams,
  GenerationError,
  listOperations,
  type MediaType,
  operationMetaOf,
  type Schema,
} from "../src/index.js";
import { json, oneOp, where } from "./support.js";

const only = (doc: Parameters<typeof listOperations>[0]) => {
  const ops = listOperations(doc);
  expect(ops).toHaveLength(1);
  return ops[0] as (typeof ops)[number];
};

describe("header parameters", () => {
  const doc = oneOp({
    parameters: [
      { name: "X-Workspace", in: "header", required: true, schema: { type: "string" }, example: "w1" },
      { name: "X-Trace", in: "header", schema: { type: "string" } },
      { name: "limit", in: "query", schema: { type: "integer" } },
    ],
  });

  test("are listed in headerParams, the required ones in required", () => {
    const op = only(doc);
    expect(op.headerParams).toEqual(["X-Workspace", "X-Trace"]);
    expect(op.queryParams).toEqual(["limit"]);
    expect(op.required).toEqual(["X-Workspace"]);
  });

  test("are emitted in the operation meta (only when there are some)", () => {
    expect(operationMetaOf(only(doc))).toMatchObject({
      headerParams: ["X-Workspace", "X-Trace"],
      required: ["X-Workspace"],
    });
    expect(operationMetaOf(only(oneOp({}))).headerParams).toBeUndefined();
  });

  test("example params include the required header", () => {
    expect(exampleParams(doc, only(doc))).toEqual({ "X-Workspace": "w1" });
  });

  test("the operation's declaration overrides the path item's", () => {
    const shared = oneOp({
      parameters: [{ name: "X-Workspace", in: "header", required: true, schema: { type: "string" } }],
    });
    const item = shared.paths?.["/things"] as Record<string, unknown>;
    item.parameters = [{ name: "X-Workspace", in: "header", schema: { type: "integer" } }];
    const op = only(shared);
    expect(op.parameters).toHaveLength(1);
    expect(op.required).toEqual(["X-Workspace"]);
    expect(op.constraints["X-Workspace"]).toEqual({ type: "string" });
  });
});

describe("multipart bodies", () => {
  const upload = (properties: Record<string, Schema>, required: string[] = ["file"]) =>
    oneOp(
      {
        requestBody: {
          required: true,
          content: { "multipart/form-data": { schema: { type: "object", required, properties } } },
        },
      },
      { method: "post" },
    );

  test("bodyKind multipart; fileFields are the binary properties (format: binary and 3.1's forms)", () => {
    const op = only(
      upload({
        file: { type: "string", format: "binary" },
        avatar: { type: "string", contentMediaType: "image/png" },
        raw: { contentEncoding: "binary" },
        encoded: { type: "string", contentEncoding: "base64", contentMediaType: "image/png" },
        purpose: { type: "string", enum: ["a", "b"] },
      }),
    );
    expect(op.body).toBe(true);
    expect(op.bodyKind).toBe("multipart");
    expect(op.fileFields).toEqual(["file", "avatar", "raw"]);
    expect(op.required).toEqual(["file"]);
    expect(op.idempotent).toBe(false);
    const meta = operationMetaOf(op);
    expect(meta).toMatchObject({ body: true, bodyKind: "multipart", fileFields: ["file", "avatar", "raw"] });
    // file fields have no constraint; the other fields do
    expect(meta.constraints).toEqual({ encoded: { type: "string" }, purpose: { type: "string", enum: ["a", "b"] } });
  });

  test("a JSON body is the default: no bodyKind, no fileFields in the meta", () => {
    const op = only(
      oneOp(
        { requestBody: { content: { "application/json": { schema: { type: "object", properties: { a: {} } } } } } },
        { method: "post" },
      ),
    );
    expect(op.bodyKind).toBe("json");
    const meta = operationMetaOf(op);
    expect(meta.body).toBe(true);
    expect(meta).not.toHaveProperty("bodyKind");
    expect(meta).not.toHaveProperty("fileFields");
  });

  test("example params give a file field a Blob", () => {
    const doc = upload({ file: { type: "string", format: "binary" }, purpose: { type: "string", example: "x" } }, [
      "file",
      "purpose",
    ]);
    const params = exampleParams(doc, only(doc));
    expect(params.purpose).toBe("x");
    expect(params.file).toBeInstanceOf(Blob);
  });
});

describe("binary responses", () => {
  const withResponse = (content: Record<string, MediaType> | undefined, status = "200") =>
    only(oneOp({ responses: { [status]: { description: "ok", ...(content ? { content } : {}) } } }));

  test.each(["application/octet-stream", "image/png", "application/pdf", "text/csv"])("%s: binaryResponse", (media) => {
    const op = withResponse({ [media]: { schema: { type: "string", format: "binary" } } });
    expect(op.binaryResponse).toBe(true);
    expect(op.responseBody).toBe(false);
    expect(operationMetaOf(op)).toMatchObject({ responseBody: false, binaryResponse: true });
  });

  test("JSON: responseBody, and no binaryResponse in the meta", () => {
    const op = withResponse({ "application/json": { schema: { type: "object" } } });
    expect(op.responseBody).toBe(true);
    expect(operationMetaOf(op)).not.toHaveProperty("binaryResponse");
  });

  test("no content (204): neither", () => {
    const op = withResponse(undefined, "204");
    expect([op.responseBody, op.binaryResponse]).toEqual([false, false]);
  });
});

describe("constraints", () => {
  const doc = oneOp(
    {
      parameters: [
        { name: "id", in: "path", required: true, schema: { $ref: "#/components/schemas/Id" } },
        { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
        { name: "after", in: "query", schema: { type: "integer", minimum: 0, exclusiveMinimum: true } },
        { name: "before", in: "query", schema: { type: "number", exclusiveMaximum: 10 } },
        {
          name: "tags",
          in: "query",
          schema: {
            type: "array",
            minItems: 1,
            maxItems: 5,
            uniqueItems: true,
            items: { type: "string", maxLength: 8 },
          },
        },
        { name: "free", in: "query", schema: {} },
        { name: "X-Mode", in: "header", schema: { type: "string", enum: ["a", "b"] } },
      ],
      requestBody: {
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                title: { type: ["string", "null"], maxLength: 3 },
                note: { type: "string", nullable: true, pattern: "^\\p{L}+$" },
                kind: { enum: ["x", null] },
                fixed: { const: 3 },
                anything: { nullable: true },
                nested: { type: "object", properties: { deep: { type: "string", minLength: 1 } } },
              },
            },
          },
        },
      },
    },
    {
      method: "put",
      path: "/things/{id}",
      components: { schemas: { Id: { type: "string", minLength: 1, maxLength: 64, pattern: "^[a-z0-9]+$" } } },
    },
  );

  test("per param, from its schema ($refs resolved), in the ParamConstraint subset", () => {
    expect(only(doc).constraints).toEqual({
      id: { type: "string", minLength: 1, maxLength: 64, pattern: "^[a-z0-9]+$" },
      limit: { type: "integer", minimum: 1, maximum: 100 },
      // 3.0's boolean exclusiveMinimum becomes 3.1's number
      after: { type: "integer", exclusiveMinimum: 0 },
      before: { type: "number", exclusiveMaximum: 10 },
      tags: { type: "array", minItems: 1, maxItems: 5, uniqueItems: true, items: { type: "string", maxLength: 8 } },
      "X-Mode": { type: "string", enum: ["a", "b"] },
      // top-level body properties; 3.1 type [x, "null"] and 3.0 nullable; null in an enum
      title: { type: "string", nullable: true, maxLength: 3 },
      note: { type: "string", nullable: true, pattern: "^\\p{L}+$" },
      kind: { nullable: true, enum: ["x"] },
      fixed: { enum: [3] },
      // nested properties are not checked: only the top-level type
      nested: { type: "object" },
    });
  });

  test("params without a constraint are left out; no constraints: none in the meta", () => {
    const constraints = only(doc).constraints;
    expect(constraints).not.toHaveProperty("free");
    expect(constraints).not.toHaveProperty("anything");
    expect(operationMetaOf(only(oneOp({}))).constraints).toBeUndefined();
    expect(operationMetaOf(only(doc)).constraints).toEqual(only(doc).constraints);
  });

  test("a pattern that is not a valid ECMAScript regex (u flag) fails generation", () => {
    const bad = oneOp({ parameters: [{ name: "q", in: "query", schema: { type: "string", pattern: "(?<x" } }] });
    expect(() => listOperations(bad)).toThrow(`${where()}parameter "q": pattern "(?<x" is not a valid ECMAScript`);
  });
});

describe("x-pagination", () => {
  const listDoc = (pagination: unknown, extra: Record<string, unknown> = {}) =>
    oneOp({
      parameters: [
        { name: "cursor", in: "query", schema: { type: "string" } },
        { name: "page", in: "query", schema: { type: "integer" } },
        { name: "size", in: "query", schema: { type: "integer" } },
        { name: "starting_after", in: "query", schema: { type: "string" } },
      ],
      "x-pagination": pagination,
      ...extra,
    });

  test.each([
    [{ style: "cursor", itemsPath: "items", cursorParam: "cursor", nextCursorPath: "next" }],
    [{ style: "has_more", itemsPath: "data", hasMorePath: "has_more", afterParam: "starting_after", idField: "id" }],
    [{ style: "page", itemsPath: "items", pageParam: "page" }],
    [
      {
        style: "page",
        itemsPath: "data.items",
        pageParam: "page",
        sizeParam: "size",
        firstPage: 0,
        hasMorePath: "data.has_more",
        totalPath: "data.total",
      },
    ],
  ])("valid: %j", (pagination) => {
    const op = only(listDoc(pagination));
    expect(op.pagination).toEqual(pagination);
    expect(operationMetaOf(op).pagination).toEqual(pagination);
  });

  test("keys come out in a fixed order, style first", () => {
    const op = only(listDoc({ pageParam: "page", itemsPath: "items", style: "page" }));
    expect(Object.keys(op.pagination ?? {})).toEqual(["style", "itemsPath", "pageParam"]);
  });

  test("a body property can be the cursor param", () => {
    const doc = oneOp(
      {
        requestBody: {
          content: { "application/json": { schema: { type: "object", properties: { cursor: { type: "string" } } } } },
        },
        "x-pagination": { style: "cursor", itemsPath: "items", cursorParam: "cursor", nextCursorPath: "nextCursor" },
      },
      { method: "post" },
    );
    expect(only(doc).pagination?.style).toBe("cursor");
  });

  test.each([
    ["not an object", "cursor", "x-pagination must be an object"],
    ["an unknown style", { style: "offset", itemsPath: "items" }, 'x-pagination: unknown style "offset"'],
    ["no style", { itemsPath: "items" }, "x-pagination: unknown style undefined"],
    [
      "a required key missing",
      { style: "cursor", itemsPath: "items", cursorParam: "cursor" },
      'x-pagination (cursor): "nextCursorPath" is required',
    ],
    [
      "has_more without idField",
      { style: "has_more", itemsPath: "data", hasMorePath: "has_more", afterParam: "starting_after" },
      'x-pagination (has_more): "idField" is required',
    ],
    ["page without pageParam", { style: "page", itemsPath: "items" }, 'x-pagination (page): "pageParam" is required'],
    [
      "an unknown key",
      { style: "page", itemsPath: "items", pageParam: "page", limitParam: "size" },
      'x-pagination (page): unknown key "limitParam"',
    ],
    [
      "a cursorParam that is not a param",
      { style: "cursor", itemsPath: "items", cursorParam: "token", nextCursorPath: "next" },
      'x-pagination (cursor): cursorParam "token" is not a parameter of the operation',
    ],
    [
      "an afterParam that is not a param",
      { style: "has_more", itemsPath: "data", hasMorePath: "has_more", afterParam: "after", idField: "id" },
      'x-pagination (has_more): afterParam "after" is not a parameter of the operation',
    ],
    [
      "a sizeParam that is not a param",
      { style: "page", itemsPath: "items", pageParam: "page", sizeParam: "per_page" },
      'x-pagination (page): sizeParam "per_page" is not a parameter of the operation',
    ],
    [
      "a firstPage that is not an integer",
      { style: "page", itemsPath: "items", pageParam: "page", firstPage: "1" },
      "x-pagination (page): firstPage must be an integer",
    ],
    [
      "an empty path",
      { style: "cursor", itemsPath: "", cursorParam: "cursor", nextCursorPath: "next" },
      'x-pagination (cursor): "itemsPath" must be a non-empty string',
    ],
    [
      "a path that is not dotted",
      { style: "cursor", itemsPath: "data..items", cursorParam: "cursor", nextCursorPath: "next" },
      'x-pagination (cursor): itemsPath "data..items" is not a dotted path',
    ],
  ])("invalid: %s", (_what, pagination, message) => {
    expect(() => listOperations(listDoc(pagination))).toThrow(GenerationError);
    expect(() => listOperations(listDoc(pagination))).toThrow(`${where()}${message}`);
  });

  test("invalid: on an operation without a JSON success body", () => {
    const doc = listDoc(
      { style: "page", itemsPath: "items", pageParam: "page" },
      { responses: { "200": { description: "csv", content: { "text/csv": {} } } } },
    );
    expect(() => listOperations(doc)).toThrow(`${where()}x-pagination on an operation without a JSON success body`);
  });
});

describe("unsupported constructs fail generation, naming the operation and the construct", () => {
  const body = (media: Record<string, MediaType>) => oneOp({ requestBody: { content: media } }, { method: "post" });
  const objectSchema = { schema: { type: "object", properties: { a: { type: "string" } } } };
  const param = (p: Record<string, unknown>, path = "/things") =>
    oneOp({ parameters: [{ schema: { type: "string" }, ...p } as never] }, { path });

  test.each<[string, ReturnType<typeof oneOp>, string, string?]>([
    [
      "a form-urlencoded body",
      body({ "application/x-www-form-urlencoded": objectSchema }),
      "request body in application/x-www-form-urlencoded is not supported",
      "POST",
    ],
    [
      "an octet-stream body",
      body({ "application/octet-stream": { schema: { type: "string", format: "binary" } } }),
      "request body in application/octet-stream is not supported",
      "POST",
    ],
    [
      "a text body",
      body({ "text/plain": { schema: { type: "string" } } }),
      "request body in text/plain is not supported",
      "POST",
    ],
    [
      "a body in two media types",
      body({ "application/json": objectSchema, "multipart/form-data": objectSchema }),
      "request body in several media types (application/json, multipart/form-data)",
      "POST",
    ],
    ["a body without content", body({}), "request body declares no content", "POST"],
    [
      "a body without schema",
      body({ "application/json": {} }),
      "request body (application/json) has no schema",
      "POST",
    ],
    [
      "an array body",
      body({ "application/json": { schema: { type: "array", items: { type: "string" } } } }),
      "request body schema of type array is not supported",
      "POST",
    ],
    [
      "a composed body",
      body({ "application/json": { schema: { allOf: [{ type: "object" }] } } }),
      "request body schema with allOf/anyOf/oneOf is not supported",
      "POST",
    ],
    [
      "a cookie param",
      param({ name: "session", in: "cookie" }),
      'cookie parameter "session": in: cookie is not supported',
    ],
    [
      "a param with content",
      param({
        name: "filter",
        in: "query",
        schema: undefined,
        content: { "application/json": { schema: { type: "object" } } },
      }),
      'query parameter "filter": content instead of schema is not supported',
    ],
    ["a param without schema", param({ name: "q", in: "query", schema: undefined }), 'query parameter "q": no schema'],
    [
      "a label-style path param",
      param({ name: "id", in: "path", required: true, style: "label" }, "/things/{id}"),
      'path parameter "id": style label is not supported',
    ],
    [
      "a matrix-style path param",
      param({ name: "id", in: "path", required: true, style: "matrix" }, "/things/{id}"),
      'path parameter "id": style matrix is not supported',
    ],
    [
      "an array path param",
      param(
        { name: "id", in: "path", required: true, schema: { type: "array", items: { type: "string" } } },
        "/things/{id}",
      ),
      'path parameter "id": a path parameter of type array is not supported',
    ],
    [
      "a boolean path param",
      param({ name: "id", in: "path", required: true, schema: { type: "boolean" } }, "/things/{id}"),
      'path parameter "id": a path parameter of type boolean is not supported',
    ],
    [
      "a deepObject query param",
      param({ name: "f", in: "query", style: "deepObject", explode: true }),
      'query parameter "f": style deepObject is not supported',
    ],
    [
      "a spaceDelimited query param",
      param({ name: "f", in: "query", style: "spaceDelimited", schema: { type: "array", items: { type: "string" } } }),
      'query parameter "f": style spaceDelimited is not supported',
    ],
    [
      "a pipeDelimited query param",
      param({ name: "f", in: "query", style: "pipeDelimited", schema: { type: "array", items: { type: "string" } } }),
      'query parameter "f": style pipeDelimited is not supported',
    ],
    [
      "a non-exploded array query param",
      param({ name: "ids", in: "query", explode: false, schema: { type: "array", items: { type: "string" } } }),
      'query parameter "ids": explode: false is not supported',
    ],
    [
      "allowReserved",
      param({ name: "q", in: "query", allowReserved: true }),
      'query parameter "q": allowReserved is not supported',
    ],
    [
      "an object query param",
      param({ name: "filter", in: "query", schema: { type: "object", properties: { a: { type: "string" } } } }),
      'query parameter "filter": an object-valued query parameter is not supported',
    ],
    [
      "an object query param without type",
      param({ name: "filter", in: "query", schema: { properties: { a: { type: "string" } } } }),
      'query parameter "filter": an object-valued query parameter is not supported',
    ],
    [
      "an object query param in a oneOf",
      param({
        name: "created",
        in: "query",
        schema: { anyOf: [{ type: "integer" }, { type: "object", properties: { gt: { type: "integer" } } }] },
      }),
      'query parameter "created": an object-valued query parameter is not supported',
    ],
    [
      "a query array of objects",
      param({ name: "f", in: "query", schema: { type: "array", items: { type: "object" } } }),
      'query parameter "f": an array of objects or arrays is not supported in a query',
    ],
    [
      "an object header param",
      param({ name: "X-Meta", in: "header", schema: { type: "object", properties: { a: { type: "string" } } } }),
      'header parameter "X-Meta": an object-valued header parameter is not supported',
    ],
    [
      "a header array of objects",
      param({ name: "X-Ids", in: "header", schema: { type: "array", items: { type: "object" } } }),
      'header parameter "X-Ids": an array of objects or arrays is not supported in a header',
    ],
    [
      "a form-style header param",
      param({ name: "X-Ids", in: "header", style: "form" }),
      'header parameter "X-Ids": style form is not supported',
    ],
    [
      "an Authorization header param",
      param({ name: "Authorization", in: "header" }),
      'header parameter "Authorization": the client sets Authorization itself',
    ],
    [
      "a Content-Type header param",
      param({ name: "content-type", in: "header" }),
      'header parameter "content-type": the client sets content-type itself',
    ],
    ["an unknown location", param({ name: "x", in: "body" }), 'body parameter "x": unknown location in: body'],
    [
      "a param declared in two locations",
      oneOp({
        parameters: [
          { name: "id", in: "query", schema: { type: "string" } },
          { name: "id", in: "header", schema: { type: "string" } },
        ],
      }),
      'parameter "id" is declared both in query and in header',
    ],
    [
      "a path template without its param",
      oneOp({}, { path: "/things/{id}" }),
      "path template {id} has no path parameter",
    ],
    [
      "a path param not in the template",
      param({ name: "id", in: "path", required: true }),
      'path parameter "id" is not in the path template',
    ],
    [
      "an external $ref in a param",
      oneOp({ parameters: [{ $ref: "common.yaml#/components/parameters/Id" }] }),
      "external $ref common.yaml#/components/parameters/Id is not supported",
    ],
    [
      "an external $ref deep in a component",
      oneOp(
        { responses: { "200": json({ $ref: "#/components/schemas/Thing" }) } },
        {
          components: {
            schemas: { Thing: { type: "object", properties: { owner: { $ref: "https://example.com/user.json" } } } },
          },
        },
      ),
      "external $ref https://example.com/user.json is not supported",
    ],
    [
      "an unresolved local $ref",
      oneOp({ responses: { "200": json({ $ref: "#/components/schemas/Missing" }) } }),
      "unresolved $ref #/components/schemas/Missing",
    ],
    [
      "a body property that collides with a param",
      oneOp(
        {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          requestBody: {
            content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } },
          },
        },
        { method: "post", path: "/things/{id}" },
      ),
      'body property "id" collides with the path parameter "id"',
      "POST",
    ],
    [
      "a multipart property that collides with a header param",
      oneOp(
        {
          parameters: [{ name: "X-Tag", in: "header", schema: { type: "string" } }],
          requestBody: {
            content: {
              "multipart/form-data": { schema: { type: "object", properties: { "X-Tag": { type: "string" } } } },
            },
          },
        },
        { method: "post" },
      ),
      'body property "X-Tag" collides with the header parameter "X-Tag"',
      "POST",
    ],
    [
      "an array of files",
      body({
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: { files: { type: "array", items: { type: "string", format: "binary" } } },
          },
        },
      }),
      'multipart field "files": an array of files is not supported',
      "POST",
    ],
    [
      "a multipart encoding style",
      body({
        "multipart/form-data": {
          schema: { type: "object", properties: { expand: { type: "array", items: { type: "string" } } } },
          encoding: { expand: { style: "deepObject", explode: true } },
        },
      }),
      'multipart encoding of field "expand": "style" is not supported',
      "POST",
    ],
    [
      "a multipart encoding of an unknown field",
      body({
        "multipart/form-data": {
          schema: { type: "object", properties: { a: { type: "string" } } },
          encoding: { b: { contentType: "text/plain" } },
        },
      }),
      'multipart encoding for unknown field "b"',
      "POST",
    ],
    [
      "a success status SuccessBody does not know",
      oneOp({ responses: { "205": json() } }),
      "success status 205 is not supported",
    ],
    [
      "a +json success body",
      oneOp({
        responses: {
          "200": { description: "ok", content: { "application/problem+json": { schema: { type: "object" } } } },
        },
      }),
      "success response 200 in application/problem+json: a JSON media type other than application/json is not supported",
    ],
    [
      "JSON and binary success bodies",
      oneOp({ responses: { "200": json(), "202": { description: "file", content: { "application/pdf": {} } } } }),
      "success responses mix JSON and binary bodies: not supported",
    ],
  ])("%s", (_what, doc, construct, method = "GET") => {
    let error: unknown;
    try {
      listOperations(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GenerationError);
    const path = Object.keys(doc.paths ?? {})[0] as string;
    expect((error as Error).message).toContain(where(method, path));
    expect((error as Error).message).toContain(construct);
  });

  test("a TRACE operation", () => {
    const doc = oneOp({}, { method: "trace" });
    expect(() => listOperations(doc)).toThrow(`${where("TRACE")}TRACE operations are not supported`);
  });

  test("an operationId that is not <resource>.<method>", () => {
    expect(() => listOperations(oneOp({ operationId: "getThing" }))).toThrow(
      'GET /things: operationId must look like "<resource>.<method>", got "getThing"',
    );
  });

  test("what the runtime supports passes: form/exploded query arrays, simple path and header params (arrays too), multipart objects and contentType encoding", () => {
    const doc = oneOp(
      {
        parameters: [
          { name: "id", in: "path", required: true, style: "simple", schema: { type: "integer" } },
          {
            name: "tags",
            in: "query",
            style: "form",
            explode: true,
            schema: { type: "array", items: { type: "string" } },
          },
          { name: "X-Count", in: "header", style: "simple", schema: { type: "integer" } },
          { name: "X-Ids", in: "header", schema: { type: "array", items: { type: "string" } } },
        ],
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: {
                properties: {
                  file: { type: "string", format: "binary" },
                  labels: { type: "array", items: { type: "string" } },
                  // objects (and objects in arrays) go as JSON text parts
                  meta: { type: "object", properties: { a: { type: "string" } } },
                  parts: { type: "array", items: { type: "object" } },
                },
              },
              encoding: { file: { contentType: "image/png, image/jpeg" } },
            },
          },
        },
      },
      { method: "post", path: "/things/{id}" },
    );
    const op = only(doc);
    expect(op.fileFields).toEqual(["file"]);
    expect(op.headerParams).toEqual(["X-Count", "X-Ids"]);
    expect(op.required).toEqual(["id"]);
  });
});
