/** Test support for @org/wooshpay-files: a local server closed after each test, a memory logger, fixtures. */
import { type Handler, startServer, type TestServer } from "@org/testing";
import { afterEach } from "vitest";
import type { File, Logger } from "../src/index.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Starts a real HTTP server on 127.0.0.1:0, closed after the current test. */
export async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** A logger that keeps every line, level first. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      lines.push(`${level} ${message} ${rest.map((r) => JSON.stringify(r)).join(" ")}`);
  return { logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") }, lines };
}

/**
 * A `fetch` that records the URL the client asked for, then sends the request to `target`
 * (same path and query) — to observe default base URLs without leaving the machine.
 */
export function redirectFetch(target: string): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const redirected: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    urls.push(request.url);
    const url = new URL(request.url);
    return fetch(new Request(`${target}${url.pathname}${url.search}`, request));
  };
  return { fetch: redirected, urls };
}

export const TEST_KEY = "sk_test_SECRET_wooshpay_key_0123456789";
export const LIVE_KEY = "sk_live_SECRET_wooshpay_key_9876543210";

export const FILE: File = {
  id: "file_1NXWtj2eZvKYlo2CzqsoYjfh",
  object: "file",
  created: 1693378789,
  expires_at: 1725001189,
  filename: "evidence.png",
  purpose: "dispute_evidence",
  size: 9863,
  title: null,
  type: "png",
  url: "https://files.com",
};

/** A Stripe-style error body. */
export const stripeError = (type: string, code: string | null, message: string, param: string | null = null) => ({
  error: { type, code, message, param },
});
