// The pre-send check of params against the spec's constraints (`checkConstraints`): every rule
// passing and failing at its boundary, the messages, null/undefined, patterns JS cannot compile,
// and properties against a straightforward reference predicate.
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { checkConstraints } from "../src/constraints.js";
import { InvalidParamsError } from "../src/errors.js";
import type { OperationMeta, ParamConstraint } from "../src/types.js";

function op(
  constraints: Record<string, ParamConstraint> | undefined,
  extra: Partial<OperationMeta> = {},
): OperationMeta {
  return {
    id: "things.list",
    method: "GET",
    path: "/things",
    pathParams: [],
    queryParams: [],
    required: [],
    body: false,
    idempotent: true,
    responseBody: true,
    ...(constraints === undefined ? {} : { constraints }),
    ...extra,
  };
}

/** The message `checkConstraints` throws for `p` = `value` under `c`, or `undefined` when it passes. */
function errorFor(c: ParamConstraint, value: unknown, extra: Partial<OperationMeta> = {}): string | undefined {
  try {
    checkConstraints(op({ p: c }, extra), { p: value });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParamsError);
    return (error as Error).message;
  }
}
const passes = (c: ParamConstraint, value: unknown) => errorFor(c, value) === undefined;

describe("what is checked", () => {
  test("an operation without constraints returns before reading any param", () => {
    const untouchable = new Proxy(
      {},
      {
        get() {
          throw new Error("read");
        },
        has() {
          throw new Error("read");
        },
        getOwnPropertyDescriptor() {
          throw new Error("read");
        },
        ownKeys() {
          throw new Error("read");
        },
      },
    );
    expect(() => checkConstraints(op(undefined), untouchable)).not.toThrow();
    expect(() => checkConstraints(op({ p: { minLength: 1 } }), untouchable)).toThrow("read");
  });

  test("an undefined (absent) value is skipped, even for a constraint it would break", () => {
    expect(() => checkConstraints(op({ p: { type: "string", minLength: 3 } }), {})).not.toThrow();
    expect(() => checkConstraints(op({ p: { type: "string", minLength: 3 } }), { p: undefined })).not.toThrow();
    expect(errorFor({ type: "string", minLength: 3 }, "ab")).toBeDefined();
  });

  test("params without a constraint, unknown constraint keys and unknown types are ignored", () => {
    expect(() => checkConstraints(op({ p: { maxLength: 1 } }), { q: "long value" })).not.toThrow();
    expect(passes({ format: "uuid", multipleOf: 7 } as ParamConstraint, "x")).toBe(true);
    expect(passes({ type: "file" } as unknown as ParamConstraint, 42)).toBe(true);
    // A 3.0-style boolean exclusiveMinimum is not a bound.
    expect(passes({ exclusiveMinimum: true } as unknown as ParamConstraint, -5)).toBe(true);
  });

  test("a name inherited from Object.prototype is not a present value", () => {
    const string: ParamConstraint = { type: "string" };
    expect(() => checkConstraints(op({ constructor: string }), {})).not.toThrow();
    expect(() => checkConstraints(op({ toString: string }), {})).not.toThrow();
    expect(() => checkConstraints(op({ toString: string }), { toString: 1 })).toThrow("must be a string");
  });

  test("without a type, a keyword applies only to values of its kind (JSON Schema)", () => {
    expect(passes({ minLength: 5, minimum: 10, minItems: 2 }, true)).toBe(true);
    expect(passes({ minLength: 5 }, 1)).toBe(true);
    expect(passes({ minimum: 10 }, "1")).toBe(true);
    expect(passes({ minItems: 2 }, "x")).toBe(true);
    expect(passes({ minItems: 2 }, { length: 0 })).toBe(true);
    expect(passes({ minLength: 5 }, "abc")).toBe(false);
    expect(passes({ minimum: 10 }, 1)).toBe(false);
    expect(passes({ minItems: 2 }, ["x"])).toBe(false);
  });
});

describe("null", () => {
  test("null passes only when nullable, before every other rule", () => {
    expect(errorFor({ type: "string" }, null)).toBe('things.list: parameter "p" must not be null, got null');
    expect(errorFor({}, null)).toBe('things.list: parameter "p" must not be null, got null');
    expect(passes({ type: "string", nullable: true, minLength: 3, enum: ["abc"] }, null)).toBe(true);
    expect(passes({ nullable: false }, null)).toBe(false);
  });

  test("nullable does not loosen the rules for other values", () => {
    expect(errorFor({ type: "string", nullable: true, minLength: 3 }, "ab")).toContain("at least 3 characters");
  });

  test("a null array item is checked against items", () => {
    expect(errorFor({ items: { type: "string" } }, ["a", null])).toBe(
      'things.list: parameter "p[1]" must not be null, got null',
    );
    expect(passes({ items: { type: "string", nullable: true } }, ["a", null])).toBe(true);
  });
});

describe("type", () => {
  test.each([
    ["string", "", 0],
    ["integer", 3, 3.5],
    ["integer", -0, Number.NaN],
    ["integer", 2 ** 53, "3"],
    ["integer", 10n, Number.POSITIVE_INFINITY],
    ["number", 3.5, Number.NaN],
    ["number", 10n, Number.NEGATIVE_INFINITY],
    ["number", 0, "0"],
    ["boolean", false, "false"],
    ["boolean", true, 1],
    ["array", [], { length: 0 }],
    ["array", [1], "[1]"],
    ["object", {}, []],
    ["object", { a: 1 }, "{}"],
  ] as const)("%s accepts %o and refuses %o", (type, good, bad) => {
    expect(passes({ type }, good)).toBe(true);
    expect(passes({ type }, bad)).toBe(false);
  });

  test("messages name the type and show the value", () => {
    expect(errorFor({ type: "string" }, 42)).toBe('things.list: parameter "p" must be a string, got 42');
    expect(errorFor({ type: "integer" }, 1.5)).toBe('things.list: parameter "p" must be an integer, got 1.5');
    expect(errorFor({ type: "number" }, Number.NaN)).toBe(
      'things.list: parameter "p" must be a finite number, got NaN',
    );
    expect(errorFor({ type: "boolean" }, "true")).toBe('things.list: parameter "p" must be a boolean, got "true"');
    expect(errorFor({ type: "array" }, {})).toBe('things.list: parameter "p" must be an array, got an object');
    expect(errorFor({ type: "object" }, [1, 2])).toBe(
      'things.list: parameter "p" must be an object, got an array of 2 items',
    );
  });

  test("type is checked before the other rules", () => {
    expect(errorFor({ type: "integer", minimum: 5, enum: [6] }, "x")).toContain("must be an integer");
  });
});

describe("enum", () => {
  const c: ParamConstraint = { enum: ["development", "library"] };

  test("a listed value passes, anything else fails, compared strictly", () => {
    expect(passes(c, "development")).toBe(true);
    expect(passes(c, "library")).toBe(true);
    expect(errorFor(c, "x")).toBe('things.list: parameter "p" must be one of "development", "library", got "x"');
    expect(passes(c, "Library")).toBe(false);
    expect(passes({ enum: [1, 2, true] }, 2)).toBe(true);
    expect(passes({ enum: [1, 2, true] }, "2")).toBe(false);
    expect(passes({ enum: [1, 2, true] }, true)).toBe(true);
    expect(passes({ enum: [1, 2, true] }, false)).toBe(false);
  });

  test("a long enum is elided in the message", () => {
    const many = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const message = errorFor({ enum: many }, "x") ?? "";
    expect(message).toContain('"v9", … (20 more), got "x"');
    expect(message).not.toContain('"v10"');
  });
});

describe("minLength / maxLength", () => {
  test("boundaries, counted in code points", () => {
    expect(passes({ minLength: 3 }, "abc")).toBe(true);
    expect(passes({ minLength: 3 }, "ab")).toBe(false);
    expect(passes({ maxLength: 3 }, "abc")).toBe(true);
    expect(passes({ maxLength: 3 }, "abcd")).toBe(false);
    // "😀" is two UTF-16 units, one code point.
    expect(passes({ minLength: 2 }, "😀")).toBe(false);
    expect(passes({ minLength: 2 }, "😀😀")).toBe(true);
    expect(passes({ maxLength: 2 }, "😀😀")).toBe(true);
    expect(passes({ maxLength: 2 }, "😀😀😀")).toBe(false);
    expect(passes({ maxLength: 1 }, "a😀")).toBe(false);
    expect(passes({ minLength: 3 }, "a😀")).toBe(false);
    // A lone surrogate counts as one code point.
    expect(passes({ maxLength: 2 }, "\ud800\ud800")).toBe(true);
    expect(passes({ minLength: 2 }, "\udc00\ud800")).toBe(true);
    expect(passes({ maxLength: 1 }, "\ud800\udc00")).toBe(true);
  });

  test("messages", () => {
    expect(errorFor({ minLength: 1 }, "")).toBe('things.list: parameter "p" must be at least 1 character long, got ""');
    expect(errorFor({ minLength: 2 }, "a")).toBe(
      'things.list: parameter "p" must be at least 2 characters long, got "a"',
    );
    expect(errorFor({ maxLength: 3 }, "😀bcd")).toBe(
      'things.list: parameter "p" must be at most 3 characters long, got "😀bcd" (4 characters)',
    );
  });

  test("minLength is checked before maxLength, and both before pattern", () => {
    expect(errorFor({ minLength: 5, maxLength: 2, pattern: "^z" }, "abc")).toContain("at least 5");
    expect(errorFor({ maxLength: 2, pattern: "^z" }, "abc")).toContain("at most 2");
  });
});

describe("pattern", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test("a search, not anchored unless the pattern is", () => {
    expect(passes({ pattern: "[0-9]" }, "ab1c")).toBe(true);
    expect(passes({ pattern: "[0-9]" }, "abc")).toBe(false);
    expect(passes({ pattern: "^[a-z]+$" }, "abc")).toBe(true);
    expect(passes({ pattern: "^[a-z]+$" }, "abc1")).toBe(false);
    expect(errorFor({ pattern: "^file_[a-z0-9]+$" }, "file-1")).toBe(
      'things.list: parameter "p" must match the pattern /^file_[a-z0-9]+$/u, got "file-1"',
    );
  });

  test("compiled with the u flag", () => {
    expect(passes({ pattern: "^.$" }, "😀")).toBe(true);
    expect(passes({ pattern: "^\\p{Lu}+$" }, "ÀB")).toBe(true);
    expect(passes({ pattern: "^\\p{Lu}+$" }, "Àb")).toBe(false);
  });

  test("a pattern JavaScript cannot compile is skipped, the other rules still apply", () => {
    for (const pattern of ["(?i)abc", "[", "\\p{NoSuchProperty}", "[\\w-.]", "a{2,1}"]) {
      expect(passes({ pattern }, "anything")).toBe(true);
      expect(passes({ pattern, maxLength: 3 }, "anything")).toBe(false);
    }
  });

  test("compiled once per constraint object, a bad one included", () => {
    let compiles = 0;
    const Native = RegExp;
    vi.stubGlobal(
      "RegExp",
      class extends Native {
        constructor(pattern: string, flags?: string) {
          compiles++;
          super(pattern, flags);
        }
      },
    );
    const good: ParamConstraint = { pattern: "^a+$" };
    const bad: ParamConstraint = { pattern: "(?i)a" };
    for (let i = 0; i < 5; i++) {
      expect(passes(good, "aaa")).toBe(true);
      expect(passes(good, "b")).toBe(false);
      expect(passes(bad, "b")).toBe(true);
    }
    expect(compiles).toBe(2);
    expect(passes({ pattern: "^a+$" }, "aaa")).toBe(true);
    expect(compiles).toBe(3);
  });
});

describe("minimum / maximum / exclusive bounds", () => {
  test("boundaries", () => {
    expect(passes({ minimum: 1 }, 1)).toBe(true);
    expect(passes({ minimum: 1 }, 0.999)).toBe(false);
    expect(passes({ maximum: 50 }, 50)).toBe(true);
    expect(passes({ maximum: 50 }, 50.001)).toBe(false);
    expect(passes({ exclusiveMinimum: 0 }, Number.MIN_VALUE)).toBe(true);
    expect(passes({ exclusiveMinimum: 0 }, 0)).toBe(false);
    expect(passes({ exclusiveMaximum: 10 }, 9.999)).toBe(true);
    expect(passes({ exclusiveMaximum: 10 }, 10)).toBe(false);
    expect(passes({ minimum: 0 }, -0)).toBe(true);
    expect(passes({ minimum: 0, type: "integer" }, 10n)).toBe(true);
    expect(passes({ maximum: 5, type: "integer" }, 10n)).toBe(false);
    expect(passes({ minimum: 0, type: "integer" }, -1n)).toBe(false);
  });

  test("NaN breaks any bound; infinities are compared", () => {
    expect(errorFor({ minimum: 0 }, Number.NaN)).toBe('things.list: parameter "p" must be a number, got NaN');
    expect(passes({ maximum: 0 }, Number.NaN)).toBe(false);
    expect(passes({}, Number.NaN)).toBe(true);
    expect(passes({ maximum: 10 }, Number.POSITIVE_INFINITY)).toBe(false);
    expect(passes({ minimum: 10 }, Number.NEGATIVE_INFINITY)).toBe(false);
  });

  test("messages", () => {
    expect(errorFor({ minimum: 1 }, 0)).toBe('things.list: parameter "p" must be ≥ 1, got 0');
    expect(errorFor({ exclusiveMinimum: 0 }, 0)).toBe('things.list: parameter "p" must be > 0, got 0');
    expect(errorFor({ exclusiveMaximum: 10 }, 10)).toBe('things.list: parameter "p" must be < 10, got 10');
    expect(errorFor({ maximum: 5, type: "integer" }, 10n)).toBe('things.list: parameter "p" must be ≤ 5, got 10n');
    const folders = { ...op({ page_size: { type: "integer", minimum: 1, maximum: 50 } }), id: "folders.list" };
    expect(() => checkConstraints(folders, { page_size: 100 })).toThrow(
      new InvalidParamsError({ message: 'folders.list: parameter "page_size" must be ≤ 50, got 100' }),
    );
  });
});

describe("arrays", () => {
  test("minItems / maxItems boundaries", () => {
    expect(passes({ minItems: 1 }, [1])).toBe(true);
    expect(errorFor({ minItems: 1 }, [])).toBe(
      'things.list: parameter "p" must have at least 1 item, got an array of 0 items',
    );
    expect(passes({ maxItems: 2 }, [1, 2])).toBe(true);
    expect(errorFor({ maxItems: 2 }, [1, 2, 3])).toBe(
      'things.list: parameter "p" must have at most 2 items, got an array of 3 items',
    );
  });

  test("uniqueItems compares JSON values", () => {
    const u: ParamConstraint = { uniqueItems: true };
    expect(passes(u, ["a", "b", "c"])).toBe(true);
    expect(errorFor(u, ["a", "b", "a"])).toBe(
      'things.list: parameter "p" must have unique items, got "a" more than once',
    );
    expect(passes(u, [1, "1", true, "true", null, "null"])).toBe(true);
    expect(passes(u, [1, 1])).toBe(false);
    expect(passes(u, [0, -0])).toBe(false);
    expect(passes(u, [1n, 1])).toBe(false);
    expect(
      passes(u, [
        { a: 1, b: [1, 2] },
        { a: 1, b: [2, 1] },
      ]),
    ).toBe(true);
    expect(
      passes(u, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toBe(false);
    expect(
      passes(u, [
        [1, 2],
        [1, 2],
      ]),
    ).toBe(false);
    expect(passes(u, [{ a: 1 }, '{"a":1}'])).toBe(true);
    expect(passes(u, [{ a: 1, b: undefined }, { a: 1 }])).toBe(false);
    expect(errorFor(u, [{ a: 1 }, { a: 1 }])).toContain("must have unique items, got an object more than once");
    expect(passes({ uniqueItems: false }, [1, 1])).toBe(true);
  });

  test("uniqueItems survives cyclic and very deep items (not comparable, so not duplicates)", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(passes({ uniqueItems: true }, [cyclic, cyclic])).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(passes({ uniqueItems: true }, [deep, deep])).toBe(true);
  });

  test("each item against items, the failing one named by index", () => {
    const tags: ParamConstraint = { type: "array", items: { type: "string", minLength: 1 } };
    expect(passes(tags, ["a", "b"])).toBe(true);
    expect(errorFor(tags, ["a", ""])).toBe('things.list: parameter "p[1]" must be at least 1 character long, got ""');
    expect(errorFor(tags, ["a", 2])).toBe('things.list: parameter "p[1]" must be a string, got 2');
    const grid: ParamConstraint = { items: { items: { maximum: 9 } } };
    expect(passes(grid, [[1], [2, 9]])).toBe(true);
    expect(errorFor(grid, [[1], [2, 10]])).toBe('things.list: parameter "p[1][1]" must be ≤ 9, got 10');
  });

  test("the array's own rules come before its items'", () => {
    expect(errorFor({ maxItems: 1, items: { type: "string" } }, [1, 2])).toContain("at most 1 item");
    expect(errorFor({ uniqueItems: true, items: { minimum: 5 } }, [1, 1])).toContain("unique");
  });
});

describe("messages", () => {
  test("a caller's value is echoed at most 64 characters", () => {
    const secret = `${"a".repeat(64)}SECRET-TAIL`;
    const message = errorFor({ maxLength: 10 }, secret) ?? "";
    expect(message).toBe(
      `things.list: parameter "p" must be at most 10 characters long, got "${"a".repeat(64)}…" (75 characters)`,
    );
    expect(message).not.toContain("SECRET");
    expect(errorFor({ enum: ["x"] }, secret)).not.toContain("SECRET");
    expect(errorFor({ pattern: "^x" }, secret)).not.toContain("SECRET");
    expect(errorFor({ type: "integer" }, secret)).not.toContain("SECRET");
    expect(errorFor({ items: { enum: ["x"] } }, [secret])).not.toContain("SECRET");
    expect(errorFor({ uniqueItems: true }, [secret, secret])).not.toContain("SECRET");
  });

  test("a cut never splits a surrogate pair", () => {
    const message = errorFor({ maxLength: 1 }, `${"a".repeat(63)}😀tail`) ?? "";
    expect(message).toContain(`got "${"a".repeat(63)}…"`);
    expect(/[\ud800-\udfff]/u.test(message)).toBe(false); // no lone surrogate
  });

  test("arrays and objects are described, not echoed", () => {
    expect(errorFor({ type: "string" }, ["SECRET"])).toBe(
      'things.list: parameter "p" must be a string, got an array of 1 item',
    );
    expect(errorFor({ type: "string" }, { key: "SECRET" })).toBe(
      'things.list: parameter "p" must be a string, got an object',
    );
  });

  test("a header param's value is never echoed", () => {
    const message = errorFor({ pattern: "^sk_" }, "hunter2", { headerParams: ["p"] });
    expect(message).toBe('things.list: parameter "p" must match the pattern /^sk_/u');
  });

  test("the first param (in the constraints' order) at its first broken rule", () => {
    const operation = op({ a: { minimum: 0 }, b: { type: "string", maxLength: 1 }, c: { type: "string" } });
    expect(() => checkConstraints(operation, { c: 1, b: 22, a: 5 })).toThrow('parameter "b" must be a string');
    expect(() => checkConstraints(operation, { c: 1, b: "22", a: -1 })).toThrow('parameter "a" must be ≥ 0');
    expect(() => checkConstraints(operation, { c: 1, b: "2", a: 0 })).toThrow('parameter "c" must be a string');
    expect(() => checkConstraints(operation, { c: "1", b: "2", a: 0 })).not.toThrow();
  });

  test("a multipart file field holding a file is not checked; text in it is", () => {
    const extra = { fileFields: ["p"], bodyKind: "multipart" as const };
    const c: ParamConstraint = { type: "string", maxLength: 3 };
    expect(errorFor(c, new Blob(["data"]), extra)).toBeUndefined();
    expect(errorFor(c, "toolong", extra)).toContain("at most 3");
    expect(errorFor(c, new Blob(["data"]))).toContain("must be a string");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random values and random bounds; the checker agrees with a plain reference.

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const defined = (c: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as ParamConstraint;

describe("properties", () => {
  const unit = fc.oneof(
    fc.constantFrom("a", "é", "😀", "\ud800", "\udc00", "\u0000", "\u{10ffff}"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  );

  test("strings: minLength / maxLength agree with [...s].length", () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), opt(fc.nat(14)), opt(fc.nat(14)), (s, minLength, maxLength) => {
        const length = [...s].length;
        const expected =
          (minLength === undefined || length >= minLength) && (maxLength === undefined || length <= maxLength);
        expect(passes(defined({ type: "string", minLength, maxLength }), s)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  test("numbers: type and bounds agree with plain comparisons", () => {
    const bound = opt(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })));
    const value = fc.oneof(fc.integer({ min: -6, max: 6 }), fc.double(), fc.constantFrom(0.5, -0, 2 ** 53));
    fc.assert(
      fc.property(
        value,
        opt(fc.constantFrom("number", "integer") as fc.Arbitrary<"number" | "integer">),
        bound,
        bound,
        bound,
        bound,
        (v, type, minimum, maximum, exclusiveMinimum, exclusiveMaximum) => {
          const expected =
            (type !== "integer" || Number.isInteger(v)) &&
            (type !== "number" || Number.isFinite(v)) &&
            (minimum === undefined || v >= minimum) &&
            (maximum === undefined || v <= maximum) &&
            (exclusiveMinimum === undefined || v > exclusiveMinimum) &&
            (exclusiveMaximum === undefined || v < exclusiveMaximum);
          const c = defined({ type, minimum, maximum, exclusiveMinimum, exclusiveMaximum });
          expect(passes(c, v)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test("arrays: minItems / maxItems / uniqueItems / items agree with a reference", () => {
    const item = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom("0", "1", "x"), fc.constant({ k: 1 }));
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 6 }),
        opt(fc.nat(7)),
        opt(fc.nat(7)),
        fc.boolean(),
        opt(fc.integer({ min: 0, max: 4 })),
        (array, minItems, maxItems, uniqueItems, itemMax) => {
          const keys = array.map((x) => JSON.stringify(x));
          const expected =
            (minItems === undefined || array.length >= minItems) &&
            (maxItems === undefined || array.length <= maxItems) &&
            (!uniqueItems || new Set(keys).size === keys.length) &&
            (itemMax === undefined || array.every((x) => typeof x !== "number" || x <= itemMax));
          const items = itemMax === undefined ? undefined : { maximum: itemMax };
          expect(passes(defined({ minItems, maxItems, uniqueItems, items }), array)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("any failure is an InvalidParamsError naming the operation and the param, echoing ≤ 64 characters", () => {
    fc.assert(
      fc.property(fc.string({ unit, minLength: 65, maxLength: 200 }), fc.nat(64), (s, maxLength) => {
        const message = errorFor({ maxLength, pattern: "^$" }, s) ?? "";
        expect(message.startsWith('things.list: parameter "p" must ')).toBe(true);
        const quoted = /got (".*")/u.exec(message)?.[1] ?? "";
        expect((JSON.parse(quoted) as string).length).toBeLessThanOrEqual(65);
      }),
      { numRuns: 300 },
    );
  });
});
