/**
 * The parts of an OpenAPI 3.0 / 3.1 document the generator reads, typed loosely: every object
 * keeps an index signature, since specs carry extensions (`x-…`) and keywords we pass through.
 */

/** A `$ref` object. */
export interface Reference {
  $ref: string;
  [key: string]: unknown;
}

/** A JSON Schema (3.0 or 3.1 flavour). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  contentEncoding?: string;
  contentMediaType?: string;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  [key: string]: unknown;
}

/** A named example (`examples: { name: { value } }`). */
export interface Example {
  value?: unknown;
  summary?: string;
  [key: string]: unknown;
}

/** A multipart field's encoding. */
export interface Encoding {
  contentType?: string;
  headers?: Record<string, unknown>;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  [key: string]: unknown;
}

export interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, Example | Reference>;
  encoding?: Record<string, Encoding>;
  [key: string]: unknown;
}

export interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  schema?: Schema;
  content?: Record<string, MediaType>;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  allowEmptyValue?: boolean;
  example?: unknown;
  examples?: Record<string, Example | Reference>;
  [key: string]: unknown;
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content?: Record<string, MediaType>;
  [key: string]: unknown;
}

export interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
  [key: string]: unknown;
}

/** A security requirement: scheme name → scopes. */
export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  tags?: string[];
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody | Reference;
  responses?: Record<string, Response | Reference>;
  security?: SecurityRequirement[];
  "x-idempotent"?: boolean;
  "x-pagination"?: unknown;
  [key: string]: unknown;
}

export interface PathItem {
  $ref?: string;
  parameters?: (Parameter | Reference)[];
  get?: Operation;
  put?: Operation;
  post?: Operation;
  delete?: Operation;
  options?: Operation;
  head?: Operation;
  patch?: Operation;
  trace?: Operation;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string; [key: string]: unknown };
  servers?: { url: string; description?: string; [key: string]: unknown }[];
  paths?: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, Schema>;
    parameters?: Record<string, Parameter | Reference>;
    requestBodies?: Record<string, RequestBody | Reference>;
    responses?: Record<string, Response | Reference>;
    securitySchemes?: Record<string, { type?: string; scheme?: string; [key: string]: unknown }>;
    [key: string]: unknown;
  };
  security?: SecurityRequirement[];
  [key: string]: unknown;
}

/**
 * The JSON-Schema constraints of one parameter checked by the runtime before sending. Mirrors
 * `ParamConstraint` of `@org/client-core` (the generated `operationMeta` is checked against it).
 */
export interface ParamConstraint {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  nullable?: boolean;
  enum?: (string | number | boolean)[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: ParamConstraint;
}

/** How a list operation pages (the spec's `x-pagination`). Mirrors `PaginationMeta` of `@org/client-core`. */
export type PaginationMeta =
  | { style: "cursor"; itemsPath: string; cursorParam: string; nextCursorPath: string }
  | { style: "has_more"; itemsPath: string; hasMorePath: string; afterParam: string; idField: string }
  | {
      style: "page";
      itemsPath: string;
      pageParam: string;
      sizeParam?: string;
      firstPage?: number;
      hasMorePath?: string;
      totalPath?: string;
    };

/** How a request body is encoded. */
export type BodyKind = "json" | "multipart";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH";
