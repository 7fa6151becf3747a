// The engine's steps, each on its own (no server): settings checked once, credentials within the
// attempt's deadline and remembered as secrets, and the headers of an attempt.
import v8 from "node:v8";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { requestHeaders } from "../src/attempt.js";
import { CallResult } from "../src/call-result.js";
import { Credentials } from "../src/credentials.js";
import type { Engine } from "../src/engine.js";
import { InvalidParamsError } from "../src/errors.js";
import { checkRequest, checkUrl } from "../src/header-check.js";
import type { PreparedRequest } from "../src/request.js";
import { SecretSet } from "../src/secrets.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import { hasLoneSurrogate } from "../src/url.js";
import { RequestSetupError, TimeoutReason, type WireRequest, type WireResponse } from "../src/wire.js";

const source = { packageName: "@org/x", packageVersion: "1.0.0", defaultBaseUrl: "https://api.example.com" };
const context = { refresh: false, rejected: undefined, signal: undefined };

describe("resolveSettings", () => {
  test("defaults: 60 s, 2 retries, Accept and User-Agent, silent", () => {
    const settings = resolveSettings({ ...source, authenticates: true }, {});
    expect(settings).toMatchObject({ baseUrl: "https://api.example.com", defaultTimeout: 60_000, defaultRetries: 2 });
    expect(settings.staticHeaders).toEqual({ accept: "application/json", "user-agent": "@org/x/1.0.0" });
    expect(settings.debug).toBe(false);
  });

  test("bad options are InvalidParamsErrors, before any request", () => {
    const bad = [
      { timeoutMs: 0 },
      { maxRetries: 1.5 },
      { baseUrl: "ftp://x" },
      { headers: { Authorization: "Bearer x" } },
    ];
    for (const options of bad) {
      expect(() => resolveSettings({ ...source, authenticates: true }, options)).toThrow(InvalidParamsError);
    }
    // a provider without credentials of its own lets the caller set Authorization
    expect(
      resolveSettings({ ...source, authenticates: false }, { headers: { Authorization: "x" } }).staticHeaders,
    ).toHaveProperty("authorization", "x");
  });
});

describe("Credentials", () => {
  test("a hook that answers synchronously costs no promise; its values become secrets", () => {
    const secrets = new SecretSet();
    const credentials = new Credentials(() => ({ authorization: "Bearer tok_123456789" }), secrets);
    const headers = credentials.get(context, Date.now() + 1000, 1000);
    expect(headers).toEqual({ authorization: "Bearer tok_123456789" });
    expect(secrets.list().join(" ")).toContain("tok_123456789");
  });

  test("an asynchronous hook is bounded by the deadline: TimeoutReason", async () => {
    const credentials = new Credentials(() => new Promise<Record<string, string>>(() => {}), new SecretSet());
    const pending = credentials.get(context, Date.now() + 30, 30);
    await expect(pending).rejects.toBeInstanceOf(TimeoutReason);
  });

  test("a hook returning no headers → InvalidParamsError; no hook → undefined", () => {
    const broken = new Credentials(() => null as unknown as Record<string, string>, new SecretSet());
    expect(() => broken.get(context, Date.now() + 1000, 1000)).toThrow(InvalidParamsError);
    expect(new Credentials(undefined, new SecretSet()).get(context, Date.now() + 1000, 1000)).toBeUndefined();
  });
});

describe("requestHeaders", () => {
  const settings = resolveSettings({ ...source, authenticates: true }, { headers: { "X-Client": "1" } }) as Settings;
  const engineWith = (): Engine => ({ settings, lastHeaders: {} }) as unknown as Engine;
  const plain: PreparedRequest = { method: "GET", url: "https://api.example.com/a", path: "/a", body: undefined };
  const credentials = { authorization: "Bearer t" };

  test("client headers, credentials and call headers, lower-cased; the call's win", () => {
    const headers = requestHeaders(engineWith(), plain, { "X-Client": "2", "X-Call": "y" }, credentials, false);
    expect(headers).toEqual({
      accept: "application/json",
      "user-agent": "@org/x/1.0.0",
      "x-client": "2",
      authorization: "Bearer t",
      "x-call": "y",
    });
  });

  test("a plain attempt reuses the last headers while the credentials object is the same", () => {
    const engine = engineWith();
    const first = requestHeaders(engine, plain, undefined, credentials, false);
    expect(requestHeaders(engine, plain, undefined, credentials, false)).toBe(first);
    // frozen: it is sent again and again, and a transport checks a frozen object only once
    expect(Object.isFrozen(first)).toBe(true);
    expect(requestHeaders(engine, plain, undefined, { ...credentials }, false)).not.toBe(first);
  });

  test("a body gets application/json unless the request says otherwise; a multipart type always wins", () => {
    const json = requestHeaders(engineWith(), { ...plain, body: "{}" }, undefined, credentials, false);
    expect(json["content-type"]).toBe("application/json");
    const multipart = { ...plain, body: "x", contentType: "multipart/form-data; boundary=b" };
    expect(
      requestHeaders(engineWith(), multipart, { "Content-Type": "text/plain" }, credentials, false),
    ).toHaveProperty("content-type", "multipart/form-data; boundary=b");
  });

  test("anonymous (CoreClient.send): neither the client's headers nor credentials", () => {
    const headers = requestHeaders(engineWith(), { ...plain, headers: { "x-amz": "1" } }, undefined, undefined, true);
    expect(headers).toEqual({ "x-amz": "1" });
  });

  test("an invalid header value throws before anything is sent", () => {
    expect(() => requestHeaders(engineWith(), plain, { "x-bad": "a\nb" }, credentials, false)).toThrow();
  });
});

describe("checkRequest and checkUrl (what a transport checks before sending)", () => {
  const wire = (headers: Record<string, string>): WireRequest => ({
    method: "GET",
    url: "http://127.0.0.1/",
    headers,
    body: undefined,
    signal: undefined,
    deadline: Number.POSITIVE_INFINITY,
  });

  test("a frozen headers object is checked once; a mutable one every time", () => {
    const mutable: Record<string, string> = { "x-a": "1" };
    expect(checkRequest(wire(mutable))).toBeUndefined();
    mutable["x-a"] = "a\nb";
    expect(checkRequest(wire(mutable))?.message).toBe(
      'invalid character in the value of header "x-a" (value not shown)',
    );
    const frozen = Object.freeze({ "x-b": "1" });
    expect(checkRequest(wire(frozen))).toBeUndefined();
    expect(checkRequest(wire(frozen))).toBeUndefined();
  });

  test("an origin found good spares the URL parse, and never lets credentials or another host through", () => {
    expect(checkUrl("http://127.0.0.1/a?b=1")).toBeUndefined();
    expect(checkUrl("http://127.0.0.1/other")).toBeUndefined();
    expect(checkUrl("http://127.0.0.1?q")).toBeUndefined();
    // the same text up to the host, then user info: the URL's host is evil.test, with credentials
    expect(checkUrl("http://127.0.0.1:x@evil.test/")).toEqual(new RequestSetupError("a URL with credentials"));
    expect(checkUrl("http://127.0.0.1.evil.test/")).toBeUndefined();
    expect(checkUrl("http://127.0.0.1:x/")).toEqual(new RequestSetupError("invalid request URL"));
    expect(checkUrl("ftp://127.0.0.1/")?.message).toBe('unsupported URL protocol "ftp:"');
  });
});

describe("CallResult", () => {
  const wire: WireResponse = {
    status: 200,
    statusText: "OK",
    headers: new Headers({ "x-request-id": "r1" }),
    url: "http://127.0.0.1/",
    redirected: false,
    body: '{"a":1}',
  };

  test("response is an own, enumerable property, made on first read and then the same", async () => {
    const result = new CallResult({ a: 1 }, "r1", wire);
    expect(Object.keys(result)).toEqual(["data", "requestId", "response"]);
    const response = result.response;
    expect(response).toBeInstanceOf(Response);
    expect(result.response).toBe(response);
    expect(await response.json()).toEqual({ a: 1 });
    expect({ ...result }).toEqual({ data: { a: 1 }, requestId: "r1", response });
    // a page's result takes the Response of its request's result
    expect(new CallResult("page", "r1", result).response).toBe(response);
  });

  test("every result has the same hidden class (a getter per object gave each its own: GC-heavy)", () => {
    v8.setFlagsFromString("--allow-natives-syntax");
    const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;
    const fast = new Function("a", "return %HasFastProperties(a)") as (a: object) => boolean;
    v8.setFlagsFromString("--no-allow-natives-syntax");
    const results = [1, { x: 2 }, "three"].map((data) => new CallResult(data, undefined, { ...wire }));
    for (const result of results) {
      // not a dictionary of its own (what an object literal with a getter becomes)
      expect(fast(result)).toBe(true);
      expect(sameMap(result, results[0] as object)).toBe(true);
    }
  });
});

describe("hasLoneSurrogate", () => {
  /** The platform's answer: `encodeURIComponent` throws on a value with no UTF-8 form. */
  const unencodable = (value: string) => {
    try {
      encodeURIComponent(value);
      return false;
    } catch {
      return true;
    }
  };
  /** Strings of code units dense in surrogates: pairs, lone halves, reversed pairs, at either end. */
  const unit = fc.oneof(
    fc.constantFrom("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uD83D\uDE00", "a", "\u00E9", "\uFFFF"),
    fc.integer({ min: 0xd700, max: 0xe000 }).map((code) => String.fromCharCode(code)),
  );

  test("says what encodeURIComponent says, for strings and arrays of them", () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 8 }), (units) => {
        const value = units.join("");
        expect(hasLoneSurrogate(value)).toBe(unencodable(value));
        expect(hasLoneSurrogate(["ok", value])).toBe(unencodable(value));
      }),
      { numRuns: 2000 },
    );
    expect(hasLoneSurrogate("\uDC00\uD800")).toBe(true);
    expect(hasLoneSurrogate("\uD800\uDC00")).toBe(false);
    expect(hasLoneSurrogate(42)).toBe(false);
  });
});
