// The browser e2e page: calls both clients against the Prism mocks whose URLs are in the query
// string, and renders the typed results. `document.body.dataset.state` ends as "done" or "failed".
import { createCozeClient, type FilesRetrieveResult, type FoldersRetrieveResult } from "@org/coze-files";
import { AuthenticationError, createWooshpayClient, type File, WooshpayApiError } from "@org/wooshpay-files";

const query = new URLSearchParams(location.search);
const wooshpayUrl = query.get("wooshpay") ?? "";
const cozeUrl = query.get("coze") ?? "";
// Deliberately secret-looking credentials: both clients must warn that they are used in a browser.
const WOOSHPAY_KEY = "sk_test_browser_e2e_0123456789";
const COZE_TOKEN = "pat_browser_e2e_0123456789";

const warnings: string[] = [];
const logger = {
  debug() {},
  info() {},
  warn(message: string) {
    warnings.push(message);
    console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
};

function section(id: string, title: string, rows: Record<string, unknown>): void {
  const el = document.createElement("section");
  el.id = id;
  const h2 = document.createElement("h2");
  h2.textContent = title;
  const dl = document.createElement("dl");
  for (const [key, value] of Object.entries(rows)) {
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.dataset.field = key;
    dd.textContent = typeof value === "string" ? value : JSON.stringify(value);
    dl.append(dt, dd);
  }
  el.append(h2, dl);
  document.getElementById("results")?.append(el);
}

async function run(): Promise<void> {
  const wooshpay = createWooshpayClient({ apiKey: WOOSHPAY_KEY, baseUrl: wooshpayUrl, logger, maxRetries: 0 });
  const coze = createCozeClient({ token: COZE_TOKEN, baseUrl: cozeUrl, logger, maxRetries: 0 });

  const file: File = await wooshpay.files.retrieve({ id: "file_xxxxxxxxxxxxxx" });
  section("wooshpay-file", "wooshpay.files.retrieve", {
    id: file.id,
    filename: file.filename,
    size: file.size,
    type: file.type,
    purpose: file.purpose,
  });

  const cozeFile: FilesRetrieveResult = await coze.files.retrieve({ file_id: "7369495981102022700" });
  section("coze-file", "coze.files.retrieve", {
    id: cozeFile.id,
    file_name: cozeFile.file_name,
    bytes: cozeFile.bytes,
    created_at: cozeFile.created_at,
  });

  const folder: FoldersRetrieveResult = await coze.folders.retrieve({ folder_id: "752316125533" });
  section("coze-folder", "coze.folders.retrieve", {
    id: folder.id,
    name: folder.name,
    folder_type: folder.folder_type,
    workspace_id: folder.workspace_id,
  });

  // The pattern the docs recommend for browsers: a token function (e.g. a short-lived OAuth token
  // fetched from your own server); it is called per request and draws no warning.
  const cozeOAuth = createCozeClient({
    token: async () => "oauth_short_lived",
    baseUrl: cozeUrl,
    logger,
    maxRetries: 0,
  });
  const viaOAuth = await cozeOAuth.files.retrieve({ file_id: "7369495981102022700" });
  section("coze-oauth", "coze.files.retrieve with a token function", { id: viaOAuth.id });

  // A typed error in the browser: Prism answers 401 when asked to (`Prefer: code=401`).
  try {
    await wooshpay.files.retrieve({ id: "file_xxxxxxxxxxxxxx" }, { headers: { Prefer: "code=401" } });
    section("wooshpay-error", "wooshpay 401", { thrown: false });
  } catch (error) {
    section("wooshpay-error", "wooshpay 401", {
      name: error instanceof Error ? error.name : typeof error,
      isAuthenticationError: error instanceof AuthenticationError,
      isWooshpayApiError: error instanceof WooshpayApiError,
      status: error instanceof WooshpayApiError ? error.status : undefined,
      code: error instanceof WooshpayApiError ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
    });
  }

  section("warnings", "logger warnings", Object.fromEntries(warnings.map((w, i) => [`warn ${i + 1}`, w])));
}

const state = document.getElementById("state");
run().then(
  () => {
    document.body.dataset.state = "done";
    if (state) state.textContent = "done";
  },
  (error: unknown) => {
    document.body.dataset.state = "failed";
    if (state) state.textContent = `failed: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`;
    throw error; // reaches the test as an uncaught exception (pageerror)
  },
);
