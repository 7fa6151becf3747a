// Fault suite for @org/coze-files against a real local HTTP server: the shared faults, plus
// Coze's failure inside an HTTP 200 envelope.
import { describe, expect, test } from "vitest";
import { describeFaults, faultServer, timed } from "../../testing/src/faults.js";
import { json } from "../../testing/src/http-server.js";
import * as coze from "../src/index.js";

const TOKEN = "pat_fault_suite_token_0123456789";
const FILE: coze.File = { id: "7369495981102022700", bytes: 152236, file_name: "1120.jpeg", created_at: 1715847583 };
const client = (baseUrl: string, options: { maxRetries: number; timeoutMs?: number }) =>
  coze.createCozeClient({ token: TOKEN, baseUrl, ...options });

describeFaults("coze", {
  call: (baseUrl, options) => client(baseUrl, options).files.retrieve({ file_id: FILE.id }),
  successBody: { code: 0, msg: "", data: FILE, detail: { logid: "LOG-OK" } },
  expected: FILE,
  errors: { ...coze, provider: coze.CozeApiError },
});

describe("coze: failures inside a 200 envelope", () => {
  test("code 4000 in an HTTP 200: CozeApiError with status 200, the code, and detail.logid as requestId; not retried", async () => {
    const server = await faultServer((_req, res) =>
      json(res, 200, { code: 4000, msg: "invalid param", detail: { logid: "LOG-4000" } }, { "x-tt-logid": "LOG-HDR" }),
    );
    const { error, ms } = await timed(() => client(server.url, { maxRetries: 2 }).files.retrieve({ file_id: "1" }));
    expect(error).toBeInstanceOf(coze.CozeApiError);
    expect(error).toMatchObject({ status: 200, code: 4000, msg: "invalid param", requestId: "LOG-4000" });
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1500);
  });

  test("code 4000 without detail.logid: requestId from the x-tt-logid header", async () => {
    const server = await faultServer((_req, res) =>
      json(res, 200, { code: 4000, msg: "invalid param" }, { "x-tt-logid": "LOG-HDR" }),
    );
    const { error } = await timed(() => client(server.url, { maxRetries: 2 }).folders.retrieve({ folder_id: "9" }));
    expect(error).toBeInstanceOf(coze.CozeApiError);
    expect(error).toMatchObject({ status: 200, code: 4000, requestId: "LOG-HDR" });
    expect(server.requests).toHaveLength(1);
  });
});
