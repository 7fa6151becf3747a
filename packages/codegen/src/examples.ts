/** Example values taken from a spec: request params for an operation and the declared response examples. */
import { Blob } from "node:buffer";
import type { Example, MediaType, OpenApiDocument, Reference, Response, Schema } from "./openapi.js";
import { deref, isFileSchema, type SpecOperation } from "./spec.js";

/** A value that satisfies a (simple) schema: its example, default, first enum value, or a minimal value. */
export function sampleFromSchema(spec: OpenApiDocument, schemaOrRef: Schema | Reference | undefined): unknown {
  const schema = deref<Schema>(spec, schemaOrRef ?? {});
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  if (schema.oneOf?.length) return sampleFromSchema(spec, schema.oneOf[0]);
  if (schema.anyOf?.length) return sampleFromSchema(spec, schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "integer":
    case "number":
      return Math.max(schema.minimum ?? 1, 1);
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => sampleFromSchema(spec, schema.items));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = sampleFromSchema(spec, schema.properties?.[name]);
      return out;
    }
    default:
      return "x".repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

function mediaExample(spec: OpenApiDocument, media: MediaType | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  if (first) return deref<Example>(spec, first).value;
  return undefined;
}

function paramExample(spec: OpenApiDocument, p: SpecOperation["parameters"][number]): unknown {
  if (p.example !== undefined) return p.example;
  const first = Object.values(p.examples ?? {})[0];
  if (first) return deref<Example>(spec, first).value;
  return sampleFromSchema(spec, p.schema);
}

/**
 * One params object (path, query, header and body fields) for an operation, from the spec's
 * examples. A multipart file field gets a `Blob` (of its example string, if it has one).
 */
export function exampleParams(spec: OpenApiDocument, op: SpecOperation): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const p of op.parameters) {
    if (p.in !== "path" && p.in !== "query" && p.in !== "header") continue;
    if (p.in !== "path" && !p.required && p.example === undefined && p.examples === undefined) continue;
    params[p.name] = paramExample(spec, p);
  }
  if (op.body && op.requestBody) {
    const mediaType = op.bodyKind === "multipart" ? "multipart/form-data" : "application/json";
    const media = op.requestBody.content?.[mediaType];
    const body = mediaExample(spec, media) ?? sampleFromSchema(spec, media?.schema);
    if (typeof body === "object" && body !== null) Object.assign(params, body);
    for (const field of op.fileFields) {
      if (!(field in params) && !op.required.includes(field)) continue;
      const value = params[field];
      if (value instanceof Blob) continue;
      const schema = deref<Schema>(spec, op.bodySchema?.properties?.[field] ?? {});
      const type =
        op.requestBody.content?.[mediaType]?.encoding?.[field]?.contentType ??
        (isFileSchema(schema) && typeof schema.contentMediaType === "string"
          ? schema.contentMediaType
          : "application/octet-stream");
      params[field] = new Blob([typeof value === "string" && value !== "" ? value : "example"], {
        type: type.split(",")[0]?.trim(),
      });
    }
  }
  return params;
}

/** The JSON example a response declares, or `undefined`. */
export function responseExample(spec: OpenApiDocument, response: Response | undefined): unknown {
  return mediaExample(spec, response?.content?.["application/json"]);
}

/**
 * The media type and example of a response that declares no JSON content but another one (a
 * binary body such as `image/jpeg`); `undefined` for a JSON or empty response.
 */
export function binaryResponseExample(
  spec: OpenApiDocument,
  response: Response | undefined,
): { type: string; example: unknown } | undefined {
  const content = response?.content ?? {};
  if (content["application/json"] !== undefined) return undefined;
  const type = Object.keys(content)[0];
  return type === undefined ? undefined : { type, example: mediaExample(spec, content[type]) };
}
