/**
 * Checks a call's params against the spec's own constraints ({@link OperationMeta.constraints})
 * before anything is sent, so a value the server would refuse fails fast, as an
 * {@link InvalidParamsError} naming the operation, the param and the rule.
 *
 * Semantics (JSON Schema, as far as {@link ParamConstraint} goes):
 * - Only present values are checked: `undefined` is skipped (whether a param is required is
 *   `splitParams`' concern). `null` passes only when the constraint is `nullable`.
 * - `type` is checked first; without a `type`, a keyword applies only to values of its kind
 *   (`minLength` to strings, `minimum` to numbers, `minItems` to arrays), as in JSON Schema.
 *   `integer` means `Number.isInteger` (a `bigint` is accepted too, as the query encoder sends it);
 *   `number` means a finite number.
 * - String lengths count code points, not UTF-16 units (`"😀"` has length 1).
 * - `pattern` is an unanchored search, compiled once per constraint object with the `u` flag.
 *   A pattern JavaScript cannot compile (another engine's regex dialect) is skipped silently:
 *   a spec regex we cannot read must not block calls.
 * - Arrays: `minItems`, `maxItems`, `uniqueItems` (JSON equality: object key order is ignored)
 *   and each item against `items`; a failing item is named `tags[2]`.
 * - Keys of the constraint the checker does not know are ignored, and so are params without one.
 * - A multipart file field (`fileFields`) holding a file is not checked (the spec types it as a
 *   binary string). A header param's value is never echoed (it may be a credential); other
 *   values are echoed truncated to 64 characters.
 *
 * The hot path: an operation without constraints returns at once; passing values allocate
 * nothing (except a `Set` for `uniqueItems`).
 */
import { InvalidParamsError } from "./errors.js";
import type { OperationMeta, ParamConstraint } from "./types.js";

/** Longest stretch of a caller's value (in UTF-16 units) a message repeats. */
const ECHO_LIMIT = 64;
/** Enum values a message lists before eliding the rest. */
const ENUM_LIST_LIMIT = 10;

/** What failed: the rule (`must be ≤ 50`), the offending value, and where below the param it is. */
interface Violation {
  rule: string;
  /** The offending value, shown after `got` (omitted when `hideValue` is set). */
  value: unknown;
  /** Shown after the value, e.g. ` (12 characters)`. */
  detail: string;
  /** Below the param: `[2]` for an array's item. */
  at: string;
}

/**
 * Throws an {@link InvalidParamsError} for the first present param (in the order of
 * `operation.constraints`) that violates its constraint, at its first violated rule, e.g.
 * `folders.list: parameter "page_size" must be ≤ 50, got 100`. Does nothing when the operation
 * declares no constraints.
 */
export function checkConstraints(operation: OperationMeta, values: Record<string, unknown>): void {
  const constraints = operation.constraints;
  if (constraints === undefined) return;
  for (const name in constraints) {
    const value = values[name];
    if (value === undefined || !Object.hasOwn(values, name)) continue;
    const constraint = constraints[name];
    if (constraint === undefined) continue;
    const violation = check(constraint, value);
    if (violation === undefined) continue;
    if (operation.fileFields?.includes(name) && typeof value === "object" && value !== null) continue;
    const echo = !operation.headerParams?.includes(name);
    throw new InvalidParamsError({
      message: `${operation.id}: parameter "${name}${violation.at}" ${violation.rule}${echo ? `, got ${show(violation.value)}${violation.detail}` : ""}`,
    });
  }
}

function fail(rule: string, value: unknown, detail = ""): Violation {
  return { rule, value, detail, at: "" };
}

/** The first rule of `c` that `value` (not `undefined`) breaks, or `undefined`. */
function check(c: ParamConstraint, value: unknown): Violation | undefined {
  if (value === null) return c.nullable === true ? undefined : fail("must not be null", null);
  const type = c.type;
  if (type !== undefined) {
    const wrong = typeViolation(type, value);
    if (wrong !== undefined) return fail(wrong, value);
  }
  const allowed = c.enum;
  if (allowed !== undefined && !allowed.includes(value as string | number | boolean)) {
    return fail(`must be one of ${listEnum(allowed)}`, value);
  }
  switch (typeof value) {
    case "string":
      return checkString(c, value);
    case "number":
    case "bigint":
      return checkNumber(c, value);
    case "object":
      return Array.isArray(value) ? checkArray(c, value) : undefined;
    default:
      return undefined;
  }
}

/** Why `value` is not of the schema type `type`, or `undefined`. Unknown types pass. */
function typeViolation(type: string, value: unknown): string | undefined {
  switch (type) {
    case "string":
      return typeof value === "string" ? undefined : "must be a string";
    case "integer":
      return Number.isInteger(value) || typeof value === "bigint" ? undefined : "must be an integer";
    case "number":
      return Number.isFinite(value) || typeof value === "bigint" ? undefined : "must be a finite number";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be a boolean";
    case "array":
      return Array.isArray(value) ? undefined : "must be an array";
    case "object":
      return typeof value === "object" && !Array.isArray(value) ? undefined : "must be an object";
    default:
      return undefined;
  }
}

function checkString(c: ParamConstraint, value: string): Violation | undefined {
  const { minLength, maxLength } = c;
  // A string of n UTF-16 units has between ⌈n/2⌉ and n code points: count only when that range
  // straddles the bound.
  if (typeof minLength === "number" && value.length < 2 * minLength && codePoints(value) < minLength) {
    return fail(`must be at least ${plural(minLength, "character")} long`, value);
  }
  if (typeof maxLength === "number" && value.length > maxLength) {
    const length = codePoints(value);
    if (length > maxLength) {
      return fail(`must be at most ${plural(maxLength, "character")} long`, value, ` (${plural(length, "character")})`);
    }
  }
  if (typeof c.pattern === "string") {
    const regex = compiled(c, c.pattern);
    if (regex !== null && !regex.test(value)) return fail(`must match the pattern /${clip(c.pattern)}/u`, value);
  }
  return undefined;
}

function checkNumber(c: ParamConstraint, value: number | bigint): Violation | undefined {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = c;
  const bounded =
    typeof minimum === "number" ||
    typeof maximum === "number" ||
    typeof exclusiveMinimum === "number" ||
    typeof exclusiveMaximum === "number";
  if (!bounded) return undefined;
  // NaN compares false with everything: it would pass every bound.
  if (typeof value === "number" && Number.isNaN(value)) return fail("must be a number", value);
  if (typeof minimum === "number" && value < minimum) return fail(`must be ≥ ${minimum}`, value);
  if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum) {
    return fail(`must be > ${exclusiveMinimum}`, value);
  }
  if (typeof maximum === "number" && value > maximum) return fail(`must be ≤ ${maximum}`, value);
  if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum) {
    return fail(`must be < ${exclusiveMaximum}`, value);
  }
  return undefined;
}

function checkArray(c: ParamConstraint, value: readonly unknown[]): Violation | undefined {
  const { minItems, maxItems, items } = c;
  if (typeof minItems === "number" && value.length < minItems) {
    return fail(`must have at least ${plural(minItems, "item")}`, value);
  }
  if (typeof maxItems === "number" && value.length > maxItems) {
    return fail(`must have at most ${plural(maxItems, "item")}`, value);
  }
  if (c.uniqueItems === true && value.length > 1) {
    const index = firstDuplicate(value);
    if (index >= 0) return fail("must have unique items", value[index], " more than once");
  }
  if (items !== undefined && typeof items === "object") {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined) continue;
      const violation = check(items, item);
      if (violation !== undefined) {
        violation.at = `[${i}]${violation.at}`;
        return violation;
      }
    }
  }
  return undefined;
}

/** Index of the first item equal (as JSON) to an earlier one, or -1. */
function firstDuplicate(value: readonly unknown[]): number {
  const primitives = new Set<unknown>();
  let composites: Set<string> | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item === "object" && item !== null) {
      const key = canonical(item, 0);
      // Too deep or cyclic: not comparable, so not a duplicate.
      if (key === undefined) continue;
      composites ??= new Set();
      if (composites.has(key)) return i;
      composites.add(key);
    } else {
      // 1n and 1 are the same JSON number.
      const key = typeof item === "bigint" && Number.isSafeInteger(Number(item)) ? Number(item) : item;
      if (primitives.has(key)) return i;
      primitives.add(key);
    }
  }
  return -1;
}

/** A JSON text of `value` with object keys sorted, or `undefined` past 64 levels (or a cycle). */
function canonical(value: unknown, depth: number): string | undefined {
  if (typeof value !== "object" || value === null) {
    return typeof value === "bigint" ? String(value) : (JSON.stringify(value) ?? "null");
  }
  if (depth > 64) return undefined;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return canonical(json.call(value), depth + 1);
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const part = canonical(item, depth + 1);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    const part = canonical(record[key], depth + 1);
    if (part === undefined) return undefined;
    parts.push(`${JSON.stringify(key)}:${part}`);
  }
  return `{${parts.join(",")}}`;
}

/** `pattern` compiled once per constraint object; `null` when JavaScript cannot compile it. */
const patterns = new WeakMap<ParamConstraint, RegExp | null>();

function compiled(c: ParamConstraint, pattern: string): RegExp | null {
  let regex = patterns.get(c);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, "u");
    } catch {
      regex = null;
    }
    patterns.set(c, regex);
  }
  return regex;
}

/** Code points of `s`, as JSON Schema counts a string's length (a lone surrogate counts as one). */
function codePoints(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `s` cut to {@link ECHO_LIMIT} UTF-16 units (never inside a surrogate pair), `…` marking a cut. */
function clip(s: string): string {
  if (s.length <= ECHO_LIMIT) return s;
  let end = ECHO_LIMIT;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** A short, bounded rendering of a caller's value for a message. */
function show(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(clip(value));
    case "number":
    case "boolean":
      return String(value);
    case "bigint":
      return clip(`${value}n`);
    case "undefined":
      return "undefined";
    case "object":
      if (value === null) return "null";
      return Array.isArray(value) ? `an array of ${plural(value.length, "item")}` : "an object";
    default:
      return `a ${typeof value}`;
  }
}

/** The spec's enum values, as JSON, the list elided past {@link ENUM_LIST_LIMIT}. */
function listEnum(values: readonly (string | number | boolean)[]): string {
  const shown = values
    .slice(0, ENUM_LIST_LIMIT)
    .map((v) => (typeof v === "string" ? JSON.stringify(clip(v)) : String(v)));
  if (values.length > ENUM_LIST_LIMIT) shown.push(`… (${values.length - ENUM_LIST_LIMIT} more)`);
  return shown.join(", ");
}
