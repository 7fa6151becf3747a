import type { APIPromise } from "@org/client-core";
import { describe, expectTypeOf, test } from "vitest";
import {
  type CogniteApiError,
  type CogniteClient,
  createCogniteClient,
  type FileDownloadLink,
  type FileIdentifier,
  type FileMetadata,
  type FileUpdateItem,
  type UploadProgress,
  type WithResponse,
} from "../src/index.js";

declare const cdf: CogniteClient;

describe("createCogniteClient", () => {
  test("project + cluster, or baseUrl; token a string or an async provider", () => {
    createCogniteClient({ project: "p", token: "t" });
    createCogniteClient({ project: "p", cluster: "westeurope-1", token: async () => "t", maxConcurrency: 8 });
    createCogniteClient({ baseUrl: "https://x", project: "p", token: () => "t", timeoutMs: 1, maxRetries: 0 });
    // token and project may come from COGNITE_API_TOKEN / COGNITE_PROJECT; undefined is accepted
    createCogniteClient({ project: "p" });
    createCogniteClient({ project: process.env.COGNITE_PROJECT, token: process.env.COGNITE_API_TOKEN });
    createCogniteClient();
    // @ts-expect-error cluster and baseUrl are exclusive
    createCogniteClient({ project: "p", cluster: "c", baseUrl: "https://x", token: "t" });
    createCogniteClient({ token: "t" });
    // @ts-expect-error token is a string or a function
    createCogniteClient({ project: "p", token: 1 });
  });
});

describe("files.retrieve", () => {
  test("resolves to FileMetadata", () => {
    expectTypeOf(cdf.files.retrieve({ id: 1 })).toEqualTypeOf<APIPromise<FileMetadata>>();
    expectTypeOf(cdf.files.retrieve({ id: 1 })).resolves.toEqualTypeOf<FileMetadata>();
    expectTypeOf(cdf.files.retrieve({ id: 1 }).withResponse()).resolves.toEqualTypeOf<WithResponse<FileMetadata>>();
  });

  test("id is required and a number", () => {
    // @ts-expect-error id is required
    cdf.files.retrieve({});
    // @ts-expect-error id is a number
    cdf.files.retrieve({ id: "1" });
    // @ts-expect-error externalId is not accepted by GET /files/{id}
    cdf.files.retrieve({ externalId: "a" });
  });
});

describe("files.retrieveMultiple", () => {
  test("resolves to FileMetadata[]", () => {
    expectTypeOf(cdf.files.retrieveMultiple({ items: [{ id: 1 }] })).resolves.toEqualTypeOf<FileMetadata[]>();
  });

  test("items are FileIdentifiers, any number; ignoreUnknownIds optional boolean", () => {
    cdf.files.retrieveMultiple({
      items: [{ id: 1 }, { externalId: "a" }, { instanceId: { space: "s", externalId: "e" } }],
    });
    cdf.files.retrieveMultiple({ items: [], ignoreUnknownIds: true });
    expectTypeOf<{ id: number }>().toExtend<FileIdentifier>();
    // @ts-expect-error items is required
    cdf.files.retrieveMultiple({});
    // @ts-expect-error an id is a number
    cdf.files.retrieveMultiple({ items: [{ id: "1" }] });
    // @ts-expect-error an item is an object
    cdf.files.retrieveMultiple({ items: [1] });
    // @ts-expect-error ignoreUnknownIds is a boolean
    cdf.files.retrieveMultiple({ items: [], ignoreUnknownIds: "yes" });
  });
});

describe("schemas", () => {
  test("FileMetadata is the spec's; timestamps are epoch-ms numbers", () => {
    expectTypeOf<FileMetadata["id"]>().toEqualTypeOf<number>();
    expectTypeOf<FileMetadata["name"]>().toEqualTypeOf<string>();
    expectTypeOf<FileMetadata["uploaded"]>().toEqualTypeOf<boolean>();
    expectTypeOf<FileMetadata["createdTime"]>().toEqualTypeOf<number>();
    expectTypeOf<FileMetadata["uploadedTime"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FileMetadata["externalId"]>().toEqualTypeOf<string | undefined>();
  });

  test("CogniteApiError has missing, duplicated, succeeded and failed", () => {
    expectTypeOf<CogniteApiError["missing"]>().toEqualTypeOf<
      { id?: number; externalId?: string; instanceId?: { space: string; externalId: string } }[] | undefined
    >();
    expectTypeOf<CogniteApiError["succeeded"]>().toEqualTypeOf<
      FileMetadata[] | FileDownloadLink[] | FileIdentifier[] | undefined
    >();
    expectTypeOf<CogniteApiError["failed"]>().toEqualTypeOf<FileIdentifier[] | FileUpdateItem[] | undefined>();
    expectTypeOf<CogniteApiError["upload"]>().toEqualTypeOf<UploadProgress | undefined>();
    expectTypeOf<CogniteApiError["requestId"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("upload, download and bulk methods", () => {
  test("signatures", () => {
    expectTypeOf(cdf.files.upload({ name: "a" }, new Blob([]))).toEqualTypeOf<Promise<FileMetadata>>();
    expectTypeOf(cdf.files.download({ id: 1 })).toEqualTypeOf<Promise<ReadableStream<Uint8Array>>>();
    const many: readonly FileIdentifier[] = [];
    expectTypeOf(cdf.files.delete({ items: [{ id: 1 }, { externalId: "x" }] })).toEqualTypeOf<
      Promise<Record<string, never>>
    >();
    expectTypeOf(cdf.files.downloadLink({ items: many })).toEqualTypeOf<Promise<{ items: FileDownloadLink[] }>>();
    // @ts-expect-error an update item needs its patch
    cdf.files.update({ items: [{ id: 1 }] });
  });
});
