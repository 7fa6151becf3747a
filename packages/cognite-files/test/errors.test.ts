import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  CogniteApiError,
  ConflictError,
  createCogniteClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../src/index.js";
import { PROJECT, serve, TOKEN } from "./support.js";

const cognite = (baseUrl: string) => createCogniteClient({ project: PROJECT, baseUrl, token: TOKEN, maxRetries: 0 });

describe("CogniteApiError", () => {
  test("carries code, message, missing, duplicated and requestId from X-Request-Id", async () => {
    const server = await serve((_req, res) =>
      json(
        res,
        400,
        {
          error: {
            code: 400,
            message: "Files not found",
            missing: [{ id: 7 }, { externalId: "gone" }],
            duplicated: [{ externalId: "twice" }],
          },
        },
        { "X-Request-Id": "c0ffee-42" },
      ),
    );
    const error = await cognite(server.url)
      .files.retrieveMultiple({ items: [{ id: 7 }, { externalId: "gone" }, { externalId: "twice" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 400,
      requestId: "c0ffee-42",
      missing: [{ id: 7 }, { externalId: "gone" }],
      duplicated: [{ externalId: "twice" }],
      provider: "cognite",
    });
    expect((error as Error).message).toContain("Files not found");
    // JSON.stringify gives the compact record; missing/duplicated, body and headers stay on the object
    const plain = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(plain).toEqual({
      name: "BadRequestError",
      status: 400,
      code: 400,
      requestId: "c0ffee-42",
      operation: "files.retrieveMultiple",
      message: (error as Error).message,
    });
    expect((error as Error).message).toMatch(/^cognite files\.retrieveMultiple POST \/files\/byids: 400 Bad Request: /);
  });

  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ])("HTTP %i is both a CogniteApiError and its status class", async (status, Class) => {
    const server = await serve((_req, res) =>
      json(res, status, { error: { code: status, message: `status ${status}` } }, { "x-request-id": `r-${status}` }),
    );
    const error = await cognite(server.url)
      .files.retrieve({ id: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CogniteApiError);
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({
      status,
      code: status,
      requestId: `r-${status}`,
      message: expect.stringContaining(`status ${status}`),
    });
  });

  test("missing and duplicated are undefined when the body has none (or is not Cognite's)", async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) json(res, 404, { error: { code: 404, message: "Not found" } });
      else {
        res.writeHead(404, { "content-type": "text/plain", "x-request-id": "r-plain" });
        res.end("not found");
      }
    });
    const first = (await cognite(server.url)
      .files.retrieve({ id: 1 })
      .catch((e: unknown) => e)) as CogniteApiError;
    expect(first.missing).toBeUndefined();
    expect(first.duplicated).toBeUndefined();
    const second = (await cognite(server.url)
      .files.retrieve({ id: 1 })
      .catch((e: unknown) => e)) as CogniteApiError;
    expect(second).toBeInstanceOf(NotFoundError);
    expect(second).toBeInstanceOf(CogniteApiError);
    expect(second).toMatchObject({ status: 404, requestId: "r-plain", missing: undefined, duplicated: undefined });
  });

  test("a successful call exposes X-Request-Id through .withResponse()", async () => {
    const file = { id: 1, name: "a", uploaded: true, createdTime: 1, lastUpdatedTime: 2 };
    const server = await serve((_req, res) => json(res, 200, file, { "x-request-id": "ok-1" }));
    const { data, requestId, response } = await cognite(server.url).files.retrieve({ id: 1 }).withResponse();
    expect(data).toEqual(file);
    expect(requestId).toBe("ok-1");
    expect(response.status).toBe(200);
  });

  test("errors of other providers are not CogniteApiErrors", () => {
    const other = new BadRequestError({ message: "x", provider: "coze" });
    expect(other).not.toBeInstanceOf(CogniteApiError);
    expect(new Error("x")).not.toBeInstanceOf(CogniteApiError);
  });
});
