// The engine's steps, each on its own (no server): settings checked once, credentials within the
// attempt's deadline and remembered as secrets, and the headers of an attempt.
import { describe, expect, test } from "vitest";
import { requestHeaders } from "../src/attempt.js";
import { Credentials } from "../src/credentials.js";
import type { Engine } from "../src/engine.js";
import { InvalidParamsError } from "../src/errors.js";
import type { PreparedRequest } from "../src/request.js";
import { SecretSet } from "../src/secrets.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import { TimeoutReason } from "../src/wire.js";

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
