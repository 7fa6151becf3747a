/**
 * @org/codegen — the generator: reads an OpenAPI spec, refuses what the runtime does not support,
 * and emits a client package's `src/generated/` (schema types, named types, operation metadata and
 * resource methods). Also the spec helpers the contract suite, the scaffold and the scripts use.
 * @packageDocumentation
 */
export {
  checkResultPaths,
  emitOperations,
  emitTypes,
  type OperationTypeNames,
  operationMetaOf,
  pascalCase,
  type ResultPathOf,
  typeNames,
} from "./emit.js";
export { binaryResponseExample, exampleParams, responseExample, sampleFromSchema } from "./examples.js";
export {
  type ClientContract,
  type GeneratedPackage,
  type GenerateOptions,
  type GenerateResult,
  generate,
  generatedPackages,
  generatePackage,
  repoRoot,
  resultPathOf,
} from "./generate.js";
export type * from "./openapi.js";
export {
  deref,
  GenerationError,
  HTTP_METHODS,
  isFileSchema,
  isReference,
  listOperations,
  loadSpec,
  type SpecOperation,
  schemaAtPath,
} from "./spec.js";
