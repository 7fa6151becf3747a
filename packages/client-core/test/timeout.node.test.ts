import { vi } from "vitest";
import { timeoutAndCancellationTests } from "./timeout.cases.js";

// what the package's `node` build does: the keep-alive node:http transport, which enforces each
// attempt's deadline itself (no AbortController)
vi.mock("../src/transport.js", () => import("../src/transport-node.js"));

timeoutAndCancellationTests("Node transport");
