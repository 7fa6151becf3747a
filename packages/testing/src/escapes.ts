/**
 * What escapes a call to the process — an uncaught exception, an unhandled rejection — recorded
 * for the whole test file instead of killing the test run, so a test can assert that nothing did.
 */
import { afterAll, beforeAll } from "vitest";

/** Starts recording for the current file; the returned array fills as things escape. */
export function recordEscapes(): unknown[] {
  const escaped: unknown[] = [];
  const record = (error: unknown) => {
    escaped.push(error);
  };
  beforeAll(() => {
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
  });
  afterAll(() => {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
  });
  return escaped;
}
