/**
 * The live contract check (`pnpm contract --live <provider> --base-url <url>`, scripts/contract.mjs):
 * the contract suite against a real server through Prism's validating proxy. Loaded by the script
 * without the test framework (nothing here imports vitest).
 */
export {
  type LiveCall,
  type LiveCheck,
  LiveCheckInputError,
  type LiveExchange,
  type LiveReport,
  type OperationPlan,
  operationPlans,
  prepareLiveCheck,
  runLiveCheck,
} from "./check.js";
export { failed, formatReport, violationCount } from "./report.js";
export {
  type Expectation,
  type Finding,
  type Findings,
  findingsOf,
  type PrismViolation,
  parseViolations,
} from "./violations.js";
