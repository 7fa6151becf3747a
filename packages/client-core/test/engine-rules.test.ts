// The engine's rules for what happens before and around the wire: the credentials hook runs
// inside the attempt's deadline and honours the caller's signal; its failure is a typed,
// scrubbed error; failures before sending are InvalidParamsError, never retried; every secret
// the client has used is scrubbed, the whole cause chain included.
import { json, startServer, type TestServer } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import { AbortError, AuthenticationError, bearerAuth, InvalidParamsError, TimeoutError } from "../src/index.js";
import { createItem, getItem, rejection, SECRET, testClient } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const okServer = async () => {
  server = await startServer((_req, res) => json(res, 200, { ok: true }));
  return server;
};

/** Every string an error exposes: message, JSON form, and each link of its cause chain. */
function everything(error: unknown): string {
  const parts: string[] = [];
  let link: unknown = error;
  for (let depth = 0; link !== undefined && depth < 10; depth++) {
    if (link instanceof Error) {
      parts.push(link.message, String(link.stack));
      link = (link as { cause?: unknown }).cause;
    } else {
      parts.push(typeof link === "string" ? link : (JSON.stringify(link) ?? ""));
      break;
    }
  }
  return parts.join("\n") + JSON.stringify(error);
}

describe("the credentials hook", () => {
  test("a hook that never resolves is bounded by timeoutMs (and retried as a timeout)", async () => {
    const { url } = await okServer();
    let calls = 0;
    const client = testClient(
      url,
      { timeoutMs: 100, maxRetries: 1 },
      {
        authenticate: () => {
          calls++;
          return new Promise<Record<string, string>>(() => {});
        },
      },
    );
    const started = Date.now();
    const error = await rejection(client.call(getItem, { id: "1" }, { maxRetries: 0 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("100 ms");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(calls).toBe(1);
    expect(server?.requests).toHaveLength(0);
  });

  test("a hook that never resolves honours the caller's signal", async () => {
    const { url } = await okServer();
    const client = testClient(url, { timeoutMs: 60_000 }, { authenticate: () => new Promise(() => {}) });
    const controller = new AbortController();
    const pending = rejection(client.call(getItem, { id: "1" }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect(error.provider).toBe("test");
  });

  test("a hook that throws is a branded AuthenticationError, scrubbed, never retried", async () => {
    const { url } = await okServer();
    let calls = 0;
    const client = testClient(
      url,
      {},
      {
        authenticate: () => {
          calls++;
          throw new Error(`token endpoint said no to ${SECRET}`, { cause: new Error(`inner ${SECRET}`) });
        },
      },
    );
    const error = await rejection(client.call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.provider).toBe("test");
    expect(error.message).toContain("could not obtain credentials");
    expect(everything(error)).not.toContain(SECRET);
    expect(calls).toBe(1);
  });

  test("a rejected promise from the hook is the same typed error", async () => {
    const { url } = await okServer();
    const client = testClient(url, {}, { authenticate: () => Promise.reject(new Error("idp down")) });
    const error = await rejection(client.call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain("idp down");
  });
});

describe("failures before sending are InvalidParamsError, never retried, nothing sent", () => {
  test("a body JSON.stringify cannot serialise (BigInt, cycle)", async () => {
    const { url } = await okServer();
    const client = testClient(url, { maxRetries: 2 });
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic.self = cyclic;
    for (const params of [{ name: 10n }, cyclic]) {
      const error = await rejection(client.call({ ...createItem, idempotent: true }, params));
      expect(error).toBeInstanceOf(InvalidParamsError);
      expect(error.message).toMatch(/^test items\.create POST \/items: the request body cannot be serialised as JSON/);
    }
    expect(server?.requests).toHaveLength(0);
  });

  test.each([
    [{ id: "1", q: { nested: { deep: 1 } } }, /query parameter "q" must be a string, number or boolean/],
    [{ id: "1", q: [{ a: 1 }] }, /query parameter "q"/],
    [{ id: "1", q: Number.NaN }, /finite number/],
  ])("a query value that cannot be sent: %j", async (params, message) => {
    const { url } = await okServer();
    const error = await rejection(testClient(url).call(getItem, params));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toMatch(message);
    expect(server?.requests).toHaveLength(0);
  });

  test("an invalid header value (a token with a line break) names the header, never the value", async () => {
    const { url } = await okServer();
    const token = `${SECRET}\nX-Injected: 1`;
    const client = testClient(url, { maxRetries: 2 }, { authenticate: () => ({ Authorization: `Bearer ${token}` }) });
    const error = await rejection(client.call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.message).toContain('"Authorization"');
    expect(everything(error)).not.toContain(SECRET);
    expect(server?.requests).toHaveLength(0);
  });

  test("a per-call header with a control character", async () => {
    const { url } = await okServer();
    const error = await rejection(testClient(url).call(getItem, { id: "1" }, { headers: { "X-Trace": "a\u0000b" } }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(server?.requests).toHaveLength(0);
  });
});

describe("secrets: every token the client has used is scrubbed", () => {
  test("after a rotation, a server echoing the old token does not get it into the error", async () => {
    const tokens = ["tok_OLD_0123456789abcdef", "tok_NEW_0123456789abcdef"];
    let n = 0;
    server = await startServer((req, res) => {
      const sent = String(req.headers.authorization);
      // the first request succeeds; the second echoes the token the first one used
      if (n++ === 0) json(res, 200, { ok: true });
      else json(res, 400, { message: `bad token ${tokens[0]} (now ${sent})` }, { "x-echo": tokens[0] as string });
    });
    let call = 0;
    const client = testClient(
      server.url,
      { maxRetries: 0 },
      {
        authenticate: () => ({ Authorization: `Bearer ${tokens[call++ === 0 ? 0 : 1]}` }),
        secrets: () => [],
      },
    );
    await client.call(getItem, { id: "1" });
    const error = await rejection(client.call(getItem, { id: "1" }));
    const seen = everything(error) + JSON.stringify(error.headers) + JSON.stringify(error.body);
    expect(seen).not.toContain(tokens[0]);
    expect(seen).not.toContain(tokens[1]);
    expect(seen).toContain("[redacted]");
  });
});

describe("bearerAuth with reuse: one renewal for many concurrent 401s", () => {
  test("ten concurrent calls that meet one expired token call the provider twice in all", async () => {
    let current = "tok_first_0123456789";
    server = await startServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${current}`) json(res, 401, { message: "expired" });
      else json(res, 200, { ok: true });
    });
    let provided = 0;
    const auth = bearerAuth(
      async () => {
        provided++;
        await new Promise((r) => setTimeout(r, 10));
        return provided === 1 ? "tok_first_0123456789" : "tok_second_0123456789";
      },
      { label: "Test", reuse: true },
    );
    const client = testClient(
      server.url,
      { maxRetries: 0 },
      {
        authenticate: auth.authenticate,
        refreshOnUnauthorized: auth.refreshOnUnauthorized,
      },
    );
    await client.call(getItem, { id: "warm-up" });
    expect(provided).toBe(1);
    current = "tok_second_0123456789"; // the server rotates: the cached token is now expired
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client.call(getItem, { id: String(i) })));
    expect(results).toHaveLength(10);
    expect(provided).toBe(2);
  });

  test("a token function returning nothing is a typed error", async () => {
    const { url } = await okServer();
    const auth = bearerAuth(() => "", { label: "Test", reuse: true });
    const error = await rejection(testClient(url, {}, { authenticate: auth.authenticate }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InvalidParamsError);
    expect(error.provider).toBe("test");
    expect(error.message).toContain("the token function returned no token");
  });
});

describe("the vitest project's transport is the one in use", () => {
  test(`ORG_TEST_TRANSPORT=${process.env.ORG_TEST_TRANSPORT}`, async () => {
    const { url } = await okServer();
    await testClient(url).call(getItem, { id: "1" });
    // undici's fetch adds `sec-fetch-mode`; the node:http transport sends only what it is given
    const viaFetch = server?.requests[0]?.headers["sec-fetch-mode"] !== undefined;
    expect(viaFetch ? "fetch" : "node").toBe(process.env.ORG_TEST_TRANSPORT);
  });
});

describe("fetch and fetchOptions", () => {
  test("fetchOptions reach every request's RequestInit; the engine's own fields win", async () => {
    const { url } = await okServer();
    const inits: RequestInit[] = [];
    const spy: typeof fetch = (input, init) => {
      inits.push(init ?? {});
      return fetch(input, init);
    };
    const client = testClient(url, {
      fetch: spy,
      fetchOptions: { cache: "no-store", method: "DELETE", redirect: "manual" },
    });
    await client.call(getItem, { id: "1" });
    expect(inits[0]?.cache).toBe("no-store");
    expect(inits[0]?.method).toBe("GET");
    expect(server?.requests[0]?.method).toBe("GET");
  });

  test("fetchOptions without fetch: requests go through the global fetch, on every build", async () => {
    const { url } = await okServer();
    await testClient(url, { fetchOptions: { cache: "no-store" } }).call(getItem, { id: "1" });
    expect(server?.requests[0]?.headers["sec-fetch-mode"]).toBeDefined();
  });

  test("a custom fetch always wins", async () => {
    const { url } = await okServer();
    let calls = 0;
    const spy: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    await testClient(url, { fetch: spy }).call(getItem, { id: "1" });
    expect(calls).toBe(1);
  });
});
