import type { APIPromise } from "@org/client-core";
import { describe, expectTypeOf, test } from "vitest";
import {
  createWooshpayClient,
  type File,
  type WithResponse,
  type WooshpayApiError,
  type WooshpayClient,
} from "../src/index.js";

declare const wooshpay: WooshpayClient;

describe("createWooshpayClient", () => {
  test("apiKey optional (WOOSHPAY_API_KEY), a string; common options accepted", () => {
    createWooshpayClient();
    createWooshpayClient({ apiKey: "sk_test_x", baseUrl: "https://api.wooshpay.com", timeoutMs: 1, maxRetries: 0 });
    // @ts-expect-error apiKey is a string
    createWooshpayClient({ apiKey: () => "sk_test_x" });
  });
});

describe("files.retrieve", () => {
  test("resolves to File", () => {
    expectTypeOf(wooshpay.files.retrieve({ id: "file_1" })).toEqualTypeOf<APIPromise<File>>();
    expectTypeOf(wooshpay.files.retrieve({ id: "file_1" })).resolves.toEqualTypeOf<File>();
    expectTypeOf(wooshpay.files.retrieve({ id: "f" }).withResponse()).resolves.toEqualTypeOf<WithResponse<File>>();
  });

  test("id is required and a string", () => {
    // @ts-expect-error id is required
    wooshpay.files.retrieve({});
    // @ts-expect-error params are required
    wooshpay.files.retrieve();
    // @ts-expect-error id is a string
    wooshpay.files.retrieve({ id: 1 });
  });
});

describe("schemas", () => {
  test("File.title is string | null (optional)", () => {
    expectTypeOf<File["title"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<File["id"]>().toEqualTypeOf<string>();
    expectTypeOf<File["object"]>().toEqualTypeOf<string>();
    expectTypeOf<File["size"]>().toEqualTypeOf<number | undefined>();
  });

  test("WooshpayApiError has type, code, param", () => {
    expectTypeOf<WooshpayApiError["type"]>().toEqualTypeOf<
      "api_error" | "card_error" | "idempotency_error" | "invalid_request_error" | (string & {}) | undefined
    >();
    // open: any string the API sends is accepted
    expectTypeOf<"rate_limit_error">().toExtend<WooshpayApiError["type"]>();
    expectTypeOf<WooshpayApiError["param"]>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<WooshpayApiError["code"]>().toEqualTypeOf<string | number | undefined>();
  });
});
