// The raw-fetch contenders and the benchmark's Coze request, shared by contenders.mjs and
// fetch-instructions.mjs. No client or SDK is imported here: fetch-instructions.mjs runs under
// callgrind, where every module loaded costs time.

export const TOKEN = "pat_bench_token";
export const COZE_FILE = "7369495981102022700";

/** The Coze files.retrieve request of every provider group's baseline: its URL and headers. */
export function cozeRequest(base) {
  return {
    url: `${base}/v1/files/retrieve?file_id=${COZE_FILE}`,
    headers: { Accept: "application/json", Authorization: `Bearer ${TOKEN}` },
  };
}

export const json = (response) => response.json();

/** The global `fetch`, the request and `response.json()`, nothing else: the baseline of every group. */
export const RAW_FETCH = "raw fetch";

/**
 * Raw `fetch` with what any fetch-based client that enforces a timeout pays: an `AbortController`
 * whose signal undici's fetch follows, and a timer (60 s, our default) cleared when the body is read.
 */
export const RAW_FETCH_DEADLINE = "raw fetch + AbortController deadline";

export function rawFetch(url, headers) {
  return () => fetch(url, { headers }).then(json);
}

export function rawFetchWithDeadline(url, headers) {
  return () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    return fetch(url, { headers, signal: controller.signal })
      .then(json)
      .finally(() => clearTimeout(timer));
  };
}
