// Property: the hand-written multipart encoder (multipart.ts) produces what the platform parses
// back to the very fields, filenames, types and bytes it was given. Random field names, text
// values and filenames (quotes, CR/LF, unicode, empty), random bytes, as Blob parts (the body is
// a Blob) or as streams cut into random chunks (the body is streamed) → encode → the platform's
// own parser (`new Response(body, { headers: { "content-type": ct } }).formData()`).
// Two oracles: a model of the expected entries (strings without `%`, which WHATWG escaping makes
// ambiguous), and the platform's own encoder (`new Response(formData)`) on the same entries.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { encodeMultipart, MultipartStream } from "../src/multipart.js";
import { toFile } from "../src/uploads.js";

/** Strings that break naive encoders: quotes, line breaks, `;`, `=`, `\`, boundary-like dashes, unicode. */
const tricky = fc.constantFrom(
  '"',
  "\r",
  "\n",
  "\r\n",
  "\n\r",
  ";",
  "=",
  "\\",
  "--",
  "----",
  "é",
  "日本",
  "👍🏽",
  " ",
  "",
);
const text = (withPercent: boolean) =>
  fc
    .array(fc.oneof(tricky, fc.string({ unit: withPercent ? "grapheme" : "grapheme-ascii", maxLength: 6 })), {
      maxLength: 5,
    })
    .map((parts) => parts.join(""))
    .filter((s) => withPercent || !s.includes("%"));
const mediaType = fc.constantFrom(
  "",
  "image/png",
  "application/pdf",
  "text/plain;charset=utf-8",
  "application/x-thing",
);

type Entry =
  | { kind: "text"; name: string; value: string }
  | {
      kind: "file";
      name: string;
      filename: string;
      type: string;
      bytes: Uint8Array;
      streamed: boolean;
      cuts: number[];
    };

const entry = (withPercent: boolean, filenames: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.record({ kind: fc.constant("text" as const), name: text(withPercent), value: text(withPercent) }),
    fc.record({
      kind: fc.constant("file" as const),
      name: text(withPercent),
      filename: filenames,
      type: mediaType,
      bytes: fc.uint8Array({ maxLength: 300 }),
      streamed: fc.boolean(),
      cuts: fc.array(fc.nat({ max: 300 }), { maxLength: 4 }),
    }),
  );

/** `bytes` as a web stream cut at `cuts`, or a Node-style async generator (alternately). */
function streamOf(
  bytes: Uint8Array,
  cuts: number[],
  web: boolean,
): ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> {
  const points = [...new Set([0, ...cuts.map((c) => Math.min(c, bytes.length)), bytes.length])].sort((a, b) => a - b);
  const chunks = points.slice(1).map((end, i) => bytes.slice(points[i], end));
  if (web) {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
  }
  return (async function* () {
    for (const chunk of chunks) yield chunk;
  })();
}

/** The entries as params: names must be unique keys, so each entry gets its own field (arrays are tested apart). */
function encode(entries: Entry[]) {
  const fields: Record<string, unknown> = {};
  const fileFields: string[] = [];
  const byName = new Map<string, Entry>();
  entries.forEach((e, i) => {
    if (Object.hasOwn(fields, e.name)) return;
    byName.set(e.name, e);
    if (e.kind === "text") fields[e.name] = e.value;
    else {
      fileFields.push(e.name);
      fields[e.name] = e.streamed
        ? toFile(streamOf(e.bytes, e.cuts, i % 2 === 0), e.filename, { type: e.type })
        : new File([e.bytes as Uint8Array<ArrayBuffer>], e.filename, { type: e.type });
    }
  });
  // parts go out in the object's key order (integer-like keys first, as JavaScript orders them)
  const order = Object.keys(fields).map((name) => byName.get(name) as Entry);
  return { order, encoded: encodeMultipart("things.upload", fields, fileFields) };
}

/** The body's bytes: a Blob read whole, a stream drained. */
async function bytesOf(body: Blob | MultipartStream): Promise<Uint8Array> {
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function parse(body: Uint8Array | Blob, contentType: string) {
  const form = await new Response(body as BodyInit, { headers: { "content-type": contentType } }).formData();
  const out: { name: string; value: string | { filename: string; type: string; bytes: number[] } }[] = [];
  for (const [name, value] of form) {
    out.push({
      name,
      value:
        typeof value === "string"
          ? value
          : { filename: value.name, type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] },
    });
  }
  return out;
}

const crlf = (s: string) => s.replace(/\r\n|\r|\n/g, "\r\n");

describe("multipart encoding round-trips through the platform's parser", () => {
  test("fields, filenames, types and bytes come back as given (model)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry(false, text(false)), { maxLength: 6 }), async (entries) => {
        const { order, encoded } = encode(entries);
        const streamed = order.some((e) => e.kind === "file" && e.streamed);
        expect(encoded.body instanceof MultipartStream).toBe(streamed);
        expect(encoded.contentType).toMatch(/^multipart\/form-data; boundary=[-\w]+$/);
        const parsed = await parse(await bytesOf(encoded.body), encoded.contentType);
        expect(parsed).toEqual(
          order.map((e) => ({
            // names and text values go out with their line breaks as CRLF (the WHATWG encoding)
            name: crlf(e.name),
            value:
              e.kind === "text"
                ? crlf(e.value)
                : { filename: e.filename, type: e.type || "application/octet-stream", bytes: [...e.bytes] },
          })),
        );
      }),
      { numRuns: 150 },
    );
  });

  test("parses exactly like the platform's own FormData encoding of the same entries (with %)", async () => {
    // undici leaves out `filename` when it is empty (the part then parses as text): non-empty here
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          entry(
            true,
            text(true).filter((s) => s !== ""),
          ),
          { maxLength: 6 },
        ),
        async (entries) => {
          const { order, encoded } = encode(entries);
          const form = new FormData();
          for (const e of order) {
            if (e.kind === "text") form.append(e.name, e.value);
            else
              form.append(
                e.name,
                new Blob([e.bytes as Uint8Array<ArrayBuffer>], { type: e.type || "application/octet-stream" }),
                e.filename,
              );
          }
          const platform = new Response(form);
          const expected = await parse(
            new Uint8Array(await platform.arrayBuffer()),
            platform.headers.get("content-type") as string,
          );
          expect(await parse(await bytesOf(encoded.body), encoded.contentType)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("text fields: numbers, booleans, arrays repeated, objects as JSON; undefined and null left out", async () => {
    const { body, contentType } = encodeMultipart(
      "things.upload",
      {
        n: 1.5,
        b: false,
        big: 12n,
        tags: ["a", 2, true],
        meta: { a: [1, "x"], 'q"': null },
        list: [{ k: 1 }],
        when: new Date(0),
        skip: undefined,
        none: null,
        file: new Uint8Array([0, 255]),
      },
      ["file"],
    );
    expect(body).toBeInstanceOf(Blob);
    const parsed = await parse(body as Blob, contentType);
    expect(parsed).toEqual([
      { name: "n", value: "1.5" },
      { name: "b", value: "false" },
      { name: "big", value: "12" },
      { name: "tags", value: "a" },
      { name: "tags", value: "2" },
      { name: "tags", value: "true" },
      { name: "meta", value: '{"a":[1,"x"],"q\\"":null}' },
      { name: "list", value: '{"k":1}' },
      { name: "when", value: "1970-01-01T00:00:00.000Z" },
      { name: "file", value: { filename: "blob", type: "application/octet-stream", bytes: [0, 255] } },
    ]);
    const raw = await (body as Blob).text();
    expect(raw).toContain('name="meta"\r\nContent-Type: application/json\r\n\r\n');
  });

  test("a Blob body is the concatenation of its parts (a file-backed part is not read to build it)", async () => {
    const big = new Blob([new Uint8Array(1024 * 1024)]);
    const { body } = encodeMultipart("things.upload", { file: big }, ["file"]);
    expect(body).toBeInstanceOf(Blob);
    expect((body as Blob).size).toBeGreaterThan(big.size);
    expect((body as Blob).size).toBeLessThan(big.size + 300);
  });

  test("each body gets its own random boundary", () => {
    const a = encodeMultipart("x", { a: "1" }).contentType;
    const b = encodeMultipart("x", { a: "1" }).contentType;
    expect(a).not.toBe(b);
  });
});
