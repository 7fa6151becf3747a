/**
 * One fuzz call on a transport, and how it settled: shared by transport.fuzz.test.ts (in-process)
 * and by the child process it spawns (this file bundled with esbuild), so that both judge the same
 * code. Nothing here may import vitest.
 */
import type { HostileAction } from "@org/testing";
import { ProtocolError, RequestSetupError, TimeoutReason, type Transport, type WireResponse } from "../src/wire.js";

/** One generated call: a script for the server, and how the client calls it. */
export interface Scenario {
  script: HostileAction[];
  method: "GET" | "POST" | "HEAD" | "PUT" | "DELETE";
  /** ms from the call to its deadline. */
  budget: number;
  /** ms from the call to an abort, if any. */
  abortAfter: number | null;
}

/** How a call settled, in a form a child process can report too. */
export interface Outcome {
  transport: string;
  kind: "response" | "timeout" | "protocol" | "setup" | "abort" | "network" | "odd";
  ms: number;
  status?: number;
  location?: boolean;
  bodyLength?: number;
  timeoutMs?: number;
  detail: string;
}

/** The reason of every abort a scenario asks for. */
export const ABORT = new Error("fuzz abort");

/** Runs one scenario on one transport; never rejects. */
export async function run(transport: Transport, name: string, url: string, call: Scenario): Promise<Outcome> {
  const controller = call.abortAfter === null ? undefined : new AbortController();
  const timer = call.abortAfter === null ? undefined : setTimeout(() => controller?.abort(ABORT), call.abortAfter);
  const started = performance.now();
  try {
    const response: WireResponse = await transport({
      method: call.method,
      url,
      headers: { accept: "application/json", authorization: "Bearer fuzz" },
      body: call.method === "POST" || call.method === "PUT" ? '{"fuzz":true}' : undefined,
      signal: controller?.signal,
      deadline: Date.now() + call.budget,
    });
    const { body } = response;
    // a Headers (the platform's, or that of the fetch given: undici 7 has its own class)
    const headersOk = typeof response.headers?.get === "function" && typeof response.headers.has === "function";
    const ok = headersOk && (body instanceof Uint8Array || typeof body === "string");
    return {
      transport: name,
      kind: ok ? "response" : "odd",
      ms: performance.now() - started,
      status: response.status,
      location: response.headers.has("location"),
      bodyLength:
        typeof body === "string" ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : -1,
      detail: `${response.status} ${response.url}`,
    };
  } catch (error) {
    const ms = performance.now() - started;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error === ABORT) return { transport: name, kind: "abort", ms, detail };
    if (error instanceof TimeoutReason)
      return { transport: name, kind: "timeout", ms, timeoutMs: error.timeoutMs, detail };
    if (error instanceof ProtocolError) return { transport: name, kind: "protocol", ms, detail };
    if (error instanceof RequestSetupError) return { transport: name, kind: "setup", ms, detail };
    if (error instanceof Error && error.name !== "AbortError") return { transport: name, kind: "network", ms, detail };
    return { transport: name, kind: "odd", ms, detail };
  } finally {
    clearTimeout(timer);
  }
}
