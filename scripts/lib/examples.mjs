// Example values taken from a spec: request params for an operation and the declared response examples.
import { deref } from "./spec.mjs";

/** A value that satisfies a (simple) schema: its example, default, first enum value, or a minimal value. */
export function sampleFromSchema(spec, schemaOrRef) {
  const schema = deref(spec, schemaOrRef ?? {});
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
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
      const out = {};
      for (const name of schema.required ?? []) out[name] = sampleFromSchema(spec, schema.properties?.[name]);
      return out;
    }
    default:
      return "x".repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

function mediaExample(spec, media) {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  if (first) return deref(spec, first).value;
  return undefined;
}

/** One params object (path, query and body fields) for an operation, from the spec's examples. */
export function exampleParams(spec, op) {
  const params = {};
  for (const p of op.parameters) {
    if (p.in !== "path" && p.in !== "query") continue;
    if (!p.required && p.in === "query" && p.example === undefined) continue;
    params[p.name] = p.example ?? Object.values(p.examples ?? {})[0]?.value ?? sampleFromSchema(spec, p.schema);
  }
  if (op.body) {
    const media = op.requestBody.content["application/json"];
    Object.assign(params, mediaExample(spec, media) ?? sampleFromSchema(spec, media.schema));
  }
  return params;
}

/** The JSON example a response declares, or `undefined`. */
export function responseExample(spec, response) {
  return mediaExample(spec, response?.content?.["application/json"]);
}
