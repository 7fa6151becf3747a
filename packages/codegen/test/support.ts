/** Small inline specs for the generator's tests. */
import type { OpenApiDocument, Operation, Schema } from "../src/index.js";

/** A JSON success response with `schema`. */
export const json = (schema: Schema = { type: "object" }) => ({
  description: "ok",
  content: { "application/json": { schema } },
});

/** A 3.1 document with one operation at `method path`, plus `components`. */
export function oneOp(
  op: Partial<Operation>,
  options: { method?: string; path?: string; components?: OpenApiDocument["components"]; openapi?: string } = {},
): OpenApiDocument {
  const { method = "get", path = "/things", components, openapi = "3.1.0" } = options;
  return {
    openapi,
    info: { title: "Test", version: "1" },
    paths: {
      [path]: { [method]: { operationId: "things.act", responses: { "200": json() }, ...op } },
    },
    ...(components ? { components } : {}),
  };
}

/** The prefix every error about `things.act` starts with. */
export const where = (method = "GET", path = "/things") => `things.act (${method} ${path}): `;
