/** A minimal provider over a local test server, for exercising the engine. */
import {
  type ApiError,
  type ClientOptions,
  createCoreClient,
  type OperationMeta,
  type ProviderDefinition,
} from "../src/index.js";

/** The error a promise rejects with (fails the test when it resolves). */
export function rejection(promise: Promise<unknown>): Promise<ApiError & { [field: string]: unknown }> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: ApiError & { [field: string]: unknown }) => error,
  );
}

export const getItem: OperationMeta = {
  id: "items.retrieve",
  method: "GET",
  path: "/items/{id}",
  pathParams: ["id"],
  queryParams: ["q"],
  required: ["id"],
  body: false,
  idempotent: true,
  responseBody: true,
};

export const createItem: OperationMeta = {
  id: "items.create",
  method: "POST",
  path: "/items",
  pathParams: [],
  queryParams: [],
  required: ["name"],
  body: true,
  idempotent: false,
  responseBody: true,
};

export const SECRET = "sk_test_SECRET_VALUE_1234567890";

export function testClient(baseUrl: string, options: ClientOptions = {}, provider: Partial<ProviderDefinition> = {}) {
  return createCoreClient<{}>(
    {
      packageName: "@org/test-client",
      packageVersion: "1.2.3",
      errorBrand: "test",
      defaultBaseUrl: baseUrl,
      authenticate: () => ({ Authorization: `Bearer ${SECRET}` }),
      secrets: () => [SECRET],
      ...provider,
    },
    { baseUrl, ...options },
  );
}

/**
 * The seed and run count of a fuzz test: its own fixed ones (what CI runs), unless `FUZZ_SEED` (a
 * number, or `random`) and `FUZZ_RUNS` ask for another campaign, e.g.
 * `FUZZ_SEED=random FUZZ_RUNS=400 pnpm exec vitest run packages/client-core/test/engine.fuzz.test.ts`.
 * fast-check reports the seed of a failure, which replays it.
 */
export function fuzzRuns(seed: number, numRuns: number): { seed: number; numRuns: number } {
  const askedSeed = process.env.FUZZ_SEED;
  const settings = {
    seed:
      askedSeed === undefined || askedSeed === ""
        ? seed
        : askedSeed === "random"
          ? Math.floor(Math.random() * 2 ** 31)
          : Number(askedSeed),
    numRuns: askedRuns() ?? numRuns,
  };
  if (!Number.isInteger(settings.seed)) throw new Error(`FUZZ_SEED must be an integer or "random", got ${askedSeed}`);
  if (settings.seed !== seed || settings.numRuns !== numRuns)
    console.error(`fuzz campaign: seed ${settings.seed}, ${settings.numRuns} runs`);
  return settings;
}

/**
 * The test timeout of a fuzz test whose own `numRuns` fit in `timeoutMs`: the same, or, when
 * `FUZZ_RUNS` asks for more runs, that much longer (a campaign of 600 runs would otherwise end at
 * the timeout of the fixed 60, with no verdict).
 */
export function fuzzTimeout(numRuns: number, timeoutMs: number): number {
  return Math.ceil(timeoutMs * Math.max(1, (askedRuns() ?? numRuns) / numRuns));
}

/** The run count `FUZZ_RUNS` asks for, if it is a positive integer. */
function askedRuns(): number | undefined {
  const runs = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : undefined;
}
