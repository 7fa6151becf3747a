// One AbortSignal shared by many calls at once (a batch the caller may cancel): the signal gets one
// "abort" listener, not one per call (past ten, Node prints a MaxListenersExceededWarning in the
// caller's process), none once the calls ended, and aborting it still ends every call. On a
// real loopback server, on each transport (the test project decides which).
import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import { serve, until } from "@org/testing";
import { afterEach, beforeEach, expect, test } from "vitest";
import { AbortError } from "../src/index.js";
import { getItem, rejection, testClient } from "./support.js";

const CALLS = 30;
let warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;
/** The leak warnings emitted so far (Node emits a warning on the next tick). */
async function leakWarnings(): Promise<string[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message);
}

test(`${CALLS} calls at once on one signal: one listener while they run, none after, no warning`, async () => {
  const held: ServerResponse[] = [];
  const server = await serve((_req, res) => {
    held.push(res);
  });
  const client = testClient(server.url, { maxRetries: 0 });
  const controller = new AbortController();
  const calls = Array.from({ length: CALLS }, (_, i) =>
    client.call(getItem, { id: String(i) }, { signal: controller.signal }),
  );
  await until(() => held.length === CALLS, "every request to arrive");
  expect(listeners(controller.signal)).toBe(1);
  for (const res of held) res.writeHead(200, { "content-type": "application/json" }).end('{"id":"1"}');
  expect(await Promise.all(calls)).toHaveLength(CALLS);
  expect(listeners(controller.signal)).toBe(0);
  expect(await leakWarnings()).toEqual([]);
});

test("aborting the shared signal ends every call with an AbortError; no listener is left", async () => {
  const server = await serve(() => new Promise<void>(() => {})); // never answers
  const client = testClient(server.url, { maxRetries: 0 });
  const controller = new AbortController();
  const calls = Array.from({ length: CALLS }, (_, i) =>
    rejection(client.call(getItem, { id: String(i) }, { signal: controller.signal })),
  );
  await until(() => server.requests.length === CALLS, "every request to arrive");
  controller.abort();
  for (const error of await Promise.all(calls)) expect(error).toBeInstanceOf(AbortError);
  expect(listeners(controller.signal)).toBe(0);
  expect(await leakWarnings()).toEqual([]);
});

test("calls waiting out a retry on one signal: one listener; the abort ends every wait", async () => {
  const server = await serve((_req, res) => {
    res.writeHead(503, { "retry-after": "30" }).end("busy");
  });
  const client = testClient(server.url, { maxRetries: 1 });
  const controller = new AbortController();
  const calls = Array.from({ length: CALLS }, (_, i) =>
    rejection(client.call(getItem, { id: String(i) }, { signal: controller.signal })),
  );
  await until(() => server.requests.length === CALLS, "every first attempt");
  await new Promise((resolve) => setTimeout(resolve, 50)); // the 503s read: every call waits its retry
  expect(listeners(controller.signal)).toBe(1);
  controller.abort();
  for (const error of await Promise.all(calls)) expect(error).toBeInstanceOf(AbortError);
  expect(server.requests).toHaveLength(CALLS);
  expect(listeners(controller.signal)).toBe(0);
  expect(await leakWarnings()).toEqual([]);
});
