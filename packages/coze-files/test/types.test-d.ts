import type { APIPromise } from "@org/client-core";
import { describe, expectTypeOf, test } from "vitest";
import {
  type CozeApiError,
  type CozeClient,
  createCozeClient,
  type File,
  type FolderSimpleInfo,
  type WithResponse,
} from "../src/index.js";

declare const coze: CozeClient;

describe("createCozeClient", () => {
  test("token: a string or a (sync or async) function; common options accepted", () => {
    createCozeClient({ token: "pat_x" });
    createCozeClient({ token: () => "pat_x" });
    createCozeClient({ token: async () => "pat_x", baseUrl: "https://api.coze.com", timeoutMs: 1, maxRetries: 0 });
    createCozeClient(); // COZE_API_TOKEN
    // @ts-expect-error a token is a string or a function
    createCozeClient({ token: 42 });
    // @ts-expect-error unknown option
    createCozeClient({ token: "pat_x", retries: 3 });
  });
});

describe("files.retrieve", () => {
  test("resolves to the unwrapped data: File", () => {
    expectTypeOf(coze.files.retrieve({ file_id: "1" })).resolves.toEqualTypeOf<File>();
    expectTypeOf(coze.files.retrieve({ file_id: "1" })).toEqualTypeOf<APIPromise<File>>();
    expectTypeOf(coze.files.retrieve({ file_id: "1" }).withResponse()).resolves.toEqualTypeOf<WithResponse<File>>();
  });

  test("file_id is required and a string", () => {
    // @ts-expect-error file_id is required
    coze.files.retrieve({});
    // @ts-expect-error params are required
    coze.files.retrieve();
    // @ts-expect-error file_id is a string
    coze.files.retrieve({ file_id: 7369495981102022700 });
  });
});

describe("folders.retrieve", () => {
  test("resolves to the unwrapped data: FolderSimpleInfo", () => {
    expectTypeOf(coze.folders.retrieve({ folder_id: "1" })).resolves.toEqualTypeOf<FolderSimpleInfo>();
  });

  test("folder_id is required and a string", () => {
    // @ts-expect-error folder_id is required
    coze.folders.retrieve({});
    // @ts-expect-error folder_id is a string
    coze.folders.retrieve({ folder_id: 1 });
  });
});

describe("schemas", () => {
  test("File and FolderSimpleInfo are the spec's", () => {
    // only `id` is always present (coze-sdk-gen's File model)
    expectTypeOf<File>().toEqualTypeOf<{ id: string; bytes?: number; file_name?: string; created_at?: number }>();
    expectTypeOf<FolderSimpleInfo["parent_folder_id"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<FolderSimpleInfo["children_count"]>().toEqualTypeOf<number | undefined>();
    // open: a folder type Coze adds later is passed through (coze-sdk-gen: enum_base dynamic_str)
    expectTypeOf<FolderSimpleInfo["folder_type"]>().toEqualTypeOf<string | undefined>();
  });

  test("CozeApiError has code and msg", () => {
    expectTypeOf<CozeApiError["msg"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<CozeApiError["code"]>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<CozeApiError["requestId"]>().toEqualTypeOf<string | undefined>();
  });
});
