/** Test support for @org/coze-files: fixtures, and the shared per-test helpers of @org/testing. */
import type { File, FolderSimpleInfo } from "../src/index.js";

export { memoryLogger, redirectFetch, serve } from "@org/testing";

export const TOKEN = "pat_SECRET_coze_token_0123456789";

export const FILE: File = { id: "7369495981102022700", bytes: 152236, file_name: "1120.jpeg", created_at: 1715847583 };
export const FOLDER: FolderSimpleInfo = {
  id: "1752316125533542000",
  name: "项目文档",
  workspace_id: "5123945629000",
  creator_user_id: "24787743932000",
};

/** Coze's success envelope around `data`. */
export const ok = (data: unknown, logid = "20241210152726467C48D89D6DB2AAAA") => ({
  code: 0,
  msg: "",
  data,
  detail: { logid },
});
