/** The live check's report, as text: one block per call, each violation with its operation, status and place. */
import type { LiveCall, LiveReport } from "./check.js";

/** A call failed when one of its answers violates the spec, or when it sent no request at all. */
export function failed(call: LiveCall): boolean {
  return call.exchanges.length === 0 || call.exchanges.some((e) => e.errors.length > 0);
}

/** The number of violations in the report (a call that sent nothing counts as one). */
export function violationCount(report: LiveReport): number {
  return report.calls.reduce(
    (sum, call) => sum + (call.exchanges.length === 0 ? 1 : call.exchanges.reduce((n, e) => n + e.errors.length, 0)),
    0,
  );
}

function label(call: LiveCall): string {
  return `${call.operationId}${call.credentials ? "" : " without credentials"}`;
}

function block(call: LiveCall): string[] {
  if (call.exchanges.length === 0) {
    return [`✗ ${label(call)}: no request was sent (${call.outcome})`];
  }
  const lines: string[] = [];
  for (const exchange of call.exchanges) {
    const mark = exchange.errors.length > 0 ? "✗" : "✓";
    lines.push(`${mark} ${label(call)} → ${exchange.status}   ${exchange.request}`);
    for (const e of exchange.errors) lines.push(`    ${e.where}: ${e.message}`);
    for (const w of exchange.warnings) lines.push(`    (warning) ${w.where}: ${w.message}`);
  }
  // how the client took it, for a call that failed (e.g. a body it could not read)
  if (failed(call) && call.outcome !== "resolved") lines.push(`    client: ${call.outcome}`);
  return lines;
}

/** The report as printed by `pnpm contract --live`. */
export function formatReport(report: LiveReport): string {
  const statuses = new Map<number, number>();
  for (const call of report.calls) {
    for (const e of call.exchanges) statuses.set(e.status, (statuses.get(e.status) ?? 0) + 1);
  }
  const seen = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status} ×${n}`)
    .join(", ");
  const count = violationCount(report);
  const failedCalls = report.calls.filter(failed).length;
  const total = report.calls.length;
  return [
    `Live contract check of ${report.packageName} against ${report.baseUrl} (through Prism's validating proxy)`,
    "",
    ...report.calls.flatMap(block),
    "",
    `statuses returned: ${seen || "none"} (only the responses the server returned are checked)`,
    count === 0
      ? `✓ no violations in ${total} calls`
      : `✗ ${count} violation${count === 1 ? "" : "s"} in ${failedCalls} of ${total} calls`,
  ].join("\n");
}
