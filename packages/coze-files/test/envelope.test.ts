import { json } from "@org/testing";
import { describe, expect, test } from "vitest";
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  CozeApiError,
  createCozeClient,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "../src/index.js";
import { FILE, FOLDER, ok, serve, TOKEN } from "./support.js";

const client = (baseUrl: string) => createCozeClient({ token: TOKEN, baseUrl, maxRetries: 0 });

describe("success envelope", () => {
  test("files.retrieve resolves to the envelope's data", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE)));
    expect(await client(server.url).files.retrieve({ file_id: FILE.id })).toEqual(FILE);
    expect(server.requests[0]?.url).toBe(`/v1/files/retrieve?file_id=${FILE.id}`);
  });

  test("folders.retrieve resolves to the envelope's data", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FOLDER)));
    expect(await client(server.url).folders.retrieve({ folder_id: FOLDER.id })).toEqual(FOLDER);
    expect(server.requests[0]?.url).toBe(`/v1/folders/${FOLDER.id}`);
  });

  test(".withResponse() gives data, the raw response and logid as requestId", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE, "LOGID-BODY"), { "x-tt-logid": "LOGID-HDR" }));
    const { data, response, requestId } = await client(server.url).files.retrieve({ file_id: "1" }).withResponse();
    expect(data).toEqual(FILE);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-tt-logid")).toBe("LOGID-HDR");
    // one rule for results and errors: the envelope's detail.logid first, then the x-tt-logid header
    expect(requestId).toBe("LOGID-BODY");
  });
});

describe("HTTP 200 with code !== 0", () => {
  test("is a CozeApiError of its code's class, with code, msg, the real status 200 and logid from detail.logid", async () => {
    const server = await serve((_req, res) =>
      json(
        res,
        200,
        { code: 4101, msg: "The token you entered is incorrect", detail: { logid: "LOG-4101" } },
        { "x-tt-logid": "LOG-HEADER" },
      ),
    );
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({
      status: 200,
      code: 4101,
      msg: "The token you entered is incorrect",
      requestId: "LOG-4101",
      provider: "coze",
    });
    expect((error as Error).message).toContain("4101");
    expect((error as Error).message).toContain("The token you entered is incorrect");
    // the class of its status, but not misreported as that status (the official SDK's behaviour)
    expect(error).not.toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });

  test.each([
    [4000, BadRequestError],
    [4100, AuthenticationError],
    [4101, PermissionDeniedError],
    [4200, NotFoundError],
    [4013, RateLimitError],
  ])("code %i is also the typed class of the status it maps to (status stays 200)", async (code, Class) => {
    const server = await serve((_req, res) => json(res, 200, { code, msg: `failed ${code}`, detail: { logid: "L" } }));
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 200, code, msg: `failed ${code}`, requestId: "L", provider: "coze" });
    for (const Other of [BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError, RateLimitError]) {
      if (Other !== Class) expect(error).not.toBeInstanceOf(Other);
    }
  });

  test("a code with no status mapping is a plain CozeApiError (no status class)", async () => {
    const server = await serve((_req, res) => json(res, 200, { code: 4302, msg: "file too large" }));
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toMatchObject({ status: 200, code: 4302, msg: "file too large" });
    for (const Class of [BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError, RateLimitError]) {
      expect(error).not.toBeInstanceOf(Class);
    }
  });
  test("falls back to the x-tt-logid header when the body has no detail.logid", async () => {
    const server = await serve((_req, res) =>
      json(res, 200, { code: 4000, msg: "bad param" }, { "x-tt-logid": "LOG-FROM-HEADER" }),
    );
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toMatchObject({ status: 200, code: 4000, msg: "bad param", requestId: "LOG-FROM-HEADER" });
  });

  test("folders.retrieve: the same mapping", async () => {
    const server = await serve((_req, res) =>
      json(res, 200, { code: 4200, msg: "no such folder", detail: { logid: "L" } }),
    );
    const error = await client(server.url)
      .folders.retrieve({ folder_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 200, code: 4200, msg: "no such folder", requestId: "L" });
  });
});

describe("a rate-limit code (4013) in an HTTP 200 is retried like a 429", () => {
  test("200 {code: 4013} then a success resolves to the data, after two requests", async () => {
    const server = await serve((_req, res, i) =>
      i === 0
        ? json(res, 200, { code: 4013, msg: "too many requests", detail: { logid: "LOG-4013" } })
        : json(res, 200, ok(FILE)),
    );
    const coze = createCozeClient({ token: TOKEN, baseUrl: server.url }); // default maxRetries: 2
    expect(await coze.files.retrieve({ file_id: FILE.id })).toEqual(FILE);
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((r) => r.url)).toEqual([
      `/v1/files/retrieve?file_id=${FILE.id}`,
      `/v1/files/retrieve?file_id=${FILE.id}`,
    ]);
  });

  test("a persistent 4013 is a RateLimitError (and CozeApiError) with status 200 after 1 + maxRetries requests", async () => {
    const server = await serve((_req, res) =>
      json(
        res,
        200,
        { code: 4013, msg: "too many requests", detail: { logid: "LOG-4013" } },
        { "retry-after-ms": "0" },
      ),
    );
    const error = await createCozeClient({ token: TOKEN, baseUrl: server.url, maxRetries: 2 })
      .folders.retrieve({ folder_id: FOLDER.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toMatchObject({ status: 200, code: 4013, requestId: "LOG-4013" });
    expect(server.requests).toHaveLength(3);
  });

  test("x-should-retry: false on the 200 stops the retry", async () => {
    const server = await serve((_req, res) =>
      json(res, 200, { code: 4013, msg: "too many requests" }, { "x-should-retry": "false" }),
    );
    const error = await createCozeClient({ token: TOKEN, baseUrl: server.url, maxRetries: 2 })
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
  });

  test("4100 in an HTTP 200 is an AuthenticationError (and CozeApiError), not retried", async () => {
    const server = await serve((_req, res) =>
      json(res, 200, { code: 4100, msg: "authentication is invalid", detail: { logid: "LOG-4100" } }),
    );
    const error = await createCozeClient({ token: TOKEN, baseUrl: server.url, maxRetries: 2 })
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toMatchObject({ status: 200, code: 4100, msg: "authentication is invalid", requestId: "LOG-4100" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("HTTP errors carrying an envelope", () => {
  test.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, InternalServerError],
  ])("HTTP %i is both a CozeApiError and its status class, with code, msg, requestId", async (status, Class) => {
    const server = await serve((_req, res) =>
      json(res, status, { code: 4100, msg: "authentication is invalid", detail: { logid: `LOG-${status}` } }),
    );
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toBeInstanceOf(Class);
    expect(error).toMatchObject({ status, code: 4100, msg: "authentication is invalid", requestId: `LOG-${status}` });
    expect((error as Error).message).toContain("authentication is invalid");
  });

  test("an HTTP error without an envelope still gets the x-tt-logid header as requestId", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html", "x-tt-logid": "LOG-GATEWAY" });
      res.end("<html>bad gateway</html>");
    });
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 502, requestId: "LOG-GATEWAY" });
  });
});

describe("a 200 that is not a usable envelope is an error, never undefined", () => {
  test.each([
    ["a bare object", FILE],
    ["an array", [FILE]],
    ["null", null],
    ["a string code", { code: "0", msg: "", data: FILE }],
  ])("%s → InvalidResponseError (and CozeApiError)", async (_name, body) => {
    const server = await serve((_req, res) => json(res, 200, body));
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toMatchObject({ status: 200 });
  });

  test("code 0 without data → InvalidResponseError (and CozeApiError) with the logid", async () => {
    const server = await serve((_req, res) => json(res, 200, { code: 0, msg: "", detail: { logid: "LOG-NODATA" } }));
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(CozeApiError);
    expect(error).toMatchObject({ status: 200, requestId: "LOG-NODATA" });
  });

  test("an empty 200 body → InvalidResponseError (and CozeApiError)", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end();
    });
    const error = await client(server.url)
      .files.retrieve({ file_id: "1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toBeInstanceOf(CozeApiError);
  });
});

describe("raw access", () => {
  test("client.raw returns the envelope as sent (no unwrapping)", async () => {
    const server = await serve((_req, res) => json(res, 200, ok(FILE, "RAW")));
    const { data } = await client(server.url).raw.GET("/v1/files/retrieve", { params: { query: { file_id: "1" } } });
    expect(data).toEqual(ok(FILE, "RAW"));
  });
});
