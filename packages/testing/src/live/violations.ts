/**
 * What Prism's validating proxy found wrong with one exchange, read from the `sl-violations` header it
 * adds to the server's response (without `--errors`, the server's status and body pass through
 * unchanged), turned into findings: errors (violations of the spec) and warnings.
 */

/** One entry of Prism's `sl-violations` header. */
export interface PrismViolation {
  /** `["response", "body", "data"]`, `["request", "query"]`, `["response"]`. */
  location: string[];
  /** `Error`, `Warning`, `Information` or `Hint`. */
  severity: string;
  /** The JSON Schema keyword (`type`, `required`, …) or an HTTP status (`401`: security). */
  code?: string | number | undefined;
  message: string;
}

/** A finding about one exchange. */
export interface Finding {
  /** Where: `response.body.data.name`, `response.headers.x-tt-logid`, `request.query`, `status`, `proxy`. */
  where: string;
  message: string;
}

/** The findings about one exchange: `errors` fail the check, `warnings` are reported only. */
export interface Findings {
  errors: Finding[];
  warnings: Finding[];
}

/** What the check expects of one exchange. */
export interface Expectation {
  /** The statuses the operation declares. */
  declared: readonly number[];
  /** Whether the request carried credentials (without them, the server must answer 401). */
  credentials: boolean;
}

/** What one exchange through the proxy looked like. */
export interface Observed {
  status: number;
  /** The `sl-violations` header, if any. */
  violations: string | null;
  /** A problem Prism answered with itself (the server's answer never came), if any. */
  prismProblem?: { title: string; detail: string } | undefined;
}

/** Prism prefixes the header with this when the violations did not fit (it is then cut, not JSON). */
const TRUNCATED = "Too many violations!";
/** Prism's own message for a status the operation does not declare (the check words its own). */
const UNDECLARED_STATUS = /^Unable to match the returned status code/;

/** Parses the `sl-violations` header; a header that is not Prism's JSON becomes one violation saying so. */
export function parseViolations(header: string | null): PrismViolation[] {
  if (header === null || header === "") return [];
  if (!header.startsWith(TRUNCATED)) {
    try {
      const parsed: unknown = JSON.parse(header);
      if (Array.isArray(parsed) && parsed.every(isPrismViolation)) return parsed;
    } catch {
      // reported below
    }
  }
  const preview = header.length > 300 ? `${header.slice(0, 300)}…` : header;
  return [{ location: ["response"], severity: "Error", message: `unreadable sl-violations header: ${preview}` }];
}

function isPrismViolation(value: unknown): value is PrismViolation {
  const v = value as Partial<PrismViolation> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.location) &&
    v.location.every((part) => typeof part === "string") &&
    typeof v.severity === "string" &&
    typeof v.message === "string"
  );
}

/** Where a violation is: its location, down to the missing property for `required`. */
function whereOf(v: PrismViolation): string {
  const where = v.location.join(".");
  const missing = v.code === "required" ? /required property '([^']+)'/.exec(v.message)?.[1] : undefined;
  return missing !== undefined && v.location.length > 1 ? `${where}.${missing}` : where;
}

/** The findings about one exchange. */
export function findingsOf(observed: Observed, expected: Expectation): Findings {
  if (observed.prismProblem) {
    const { title, detail } = observed.prismProblem;
    return {
      errors: [
        { where: "proxy", message: `no answer from the server (Prism: ${title}${detail ? `: ${detail}` : ""})` },
      ],
      warnings: [],
    };
  }
  const findings: Findings = { errors: [], warnings: [] };
  const { status } = observed;
  if (!expected.declared.includes(status)) {
    findings.errors.push({
      where: "status",
      message: `${status} is not declared for this operation (declared: ${expected.declared.join(", ")})`,
    });
  }
  if (!expected.credentials && status !== 401) {
    findings.errors.push({ where: "status", message: `${status} without credentials (the spec requires them: 401)` });
  }
  for (const v of parseViolations(observed.violations)) {
    if (v.location.length === 1 && v.location[0] === "response" && UNDECLARED_STATUS.test(v.message)) continue;
    // the request left its credentials out on purpose
    if (!expected.credentials && v.location[0] === "request" && String(v.code) === "401") continue;
    const finding = { where: whereOf(v), message: v.message };
    (v.severity === "Error" ? findings.errors : findings.warnings).push(finding);
  }
  return findings;
}
