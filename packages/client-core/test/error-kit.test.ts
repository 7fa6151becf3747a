// The error kit on its own: branding, scrubbing, and what each kind of attempt failure becomes.
import { describe, expect, test } from "vitest";
import { attemptError, errorKit } from "../src/error-kit.js";
import {
  AbortError,
  type ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidParamsError,
  InvalidResponseError,
  NotFoundError,
  TimeoutError,
} from "../src/index.js";
import { ProtocolError, RequestSetupError, TimeoutReason } from "../src/wire.js";

const SECRET = "tok_SECRET_0123456789";
const kit = errorKit("brand", () => [SECRET]);

describe("errorKit", () => {
  test("make brands and scrubs message, body, headers, fields and the cause chain", () => {
    const error = kit.make(NotFoundError, {
      status: 404,
      message: `no file for ${SECRET}`,
      body: { echo: SECRET, list: [SECRET] },
      headers: { "x-echo": `Bearer ${SECRET}` },
      fields: { extra: SECRET },
      cause: new Error(`outer ${SECRET}`, { cause: new TypeError(`inner ${SECRET}`) }),
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.provider).toBe("brand");
    const cause = (error as { cause?: Error }).cause as Error & { cause?: Error };
    expect(cause.cause).toBeInstanceOf(TypeError);
    const seen = [error.message, JSON.stringify(error), cause.message, cause.cause?.message, cause.stack].join("\n");
    expect(seen).not.toContain(SECRET);
    expect(seen).toContain("[redacted]");
  });

  test("rebrand remakes an unbranded ApiError and leaves anything else alone", () => {
    const plain = new InvalidParamsError({ message: "bad" });
    const rebranded = kit.rebrand(plain) as ApiError;
    expect(rebranded).toBeInstanceOf(InvalidParamsError);
    expect(rebranded.provider).toBe("brand");
    const other = new Error("x");
    expect(kit.rebrand(other)).toBe(other);
  });
});

describe("attemptError", () => {
  const aborted = AbortSignal.abort(new Error("stop"));
  test.each([
    [new TimeoutReason(100), "send", undefined, TimeoutError, "request timed out after 100 ms"],
    [new TimeoutReason(100), "auth", undefined, TimeoutError, "obtaining credentials timed out after 100 ms"],
    [new Error("whatever"), "send", aborted, AbortError, "aborted by the caller"],
    [new Error("idp down"), "auth", undefined, AuthenticationError, "could not obtain credentials: idp down"],
    [new RequestSetupError('invalid header "x"'), "send", undefined, InvalidParamsError, 'invalid header "x"'],
    [new ProtocolError("invalid HTTP status 999"), "send", undefined, InvalidResponseError, "invalid HTTP status 999"],
    [
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
      }),
      "send",
      undefined,
      ConnectionError,
      "connection error: ECONNRESET: fetch failed (reset)",
    ],
  ] as const)("%s during %s → %O", (cause, stage, signal, Class, message) => {
    const error = attemptError(cause, stage, 100, signal, kit);
    expect(error).toBeInstanceOf(Class);
    expect(error.message).toContain(message);
    expect(error.provider).toBe("brand");
  });
});
