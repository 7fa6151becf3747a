// The per-request contenders, all pointed at the local benchmark server. Each provider group has
// raw fetch (the baseline), bare openapi-fetch on fetch, our client on fetch and on its Node
// default, the official SDK, and the two raw Node transports our default is measured against
// (node:http keep-alive, undici.request), all sending that provider's request. The transport
// group is the coze request through each transport alone, our Node `Transport` called directly.
// Each contender is `() => Promise<unknown>` resolving to the parsed body.
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { CogniteClient } from "@cognite/sdk";
import { CozeAPI } from "@coze/api";
import { createNodeTransport } from "@org/client-core/node-transport";
import { createCogniteClient } from "@org/cognite-files";
import { createCozeClient } from "@org/coze-files";
import { createWooshpayClient } from "@org/wooshpay-files";
import nodeFetch2 from "node-fetch";
import createClient from "openapi-fetch";
import Stripe from "stripe";
import { Agent as UndiciAgent, request as undiciRequest } from "undici";
import {
  COZE_FILE,
  cozeRequest,
  json,
  RAW_FETCH,
  RAW_FETCH_DEADLINE,
  rawFetch,
  rawFetchWithDeadline,
  TOKEN,
} from "./raw-fetch.mjs";

export { RAW_FETCH, RAW_FETCH_DEADLINE };

const KEY = "sk_test_bench";
const COGNITE_ID = 4503599627370496;
const WOOSHPAY_FILE = "file_bench";

/** Contenders by provider, plus the transport floor. */
export async function contenders(base) {
  const { url: cozeUrl, headers: bearer } = cozeRequest(base);
  const cogniteBase = `${base}/api/v1/projects/bench`;
  const cogniteUrl = `${cogniteBase}/files/${COGNITE_ID}`;
  const wooshpayUrl = `${base}/v1/files/${WOOSHPAY_FILE}`;
  const basic = { Accept: "application/json", Authorization: `Basic ${btoa(`${KEY}:`)}` };

  const ofCoze = createClient({ baseUrl: base });
  const ofCognite = createClient({ baseUrl: cogniteBase });
  const ofWoosh = createClient({ baseUrl: base });

  const coze = createCozeClient({ token: TOKEN, baseUrl: base });
  const cozeOnFetch = createCozeClient({ token: TOKEN, baseUrl: base, fetch: globalThis.fetch });
  const cognite = createCogniteClient({ project: "bench", token: TOKEN, baseUrl: `${base}/api/v1/projects/{project}` });
  const cogniteOnFetch = createCogniteClient({
    project: "bench",
    token: TOKEN,
    baseUrl: `${base}/api/v1/projects/{project}`,
    fetch: globalThis.fetch,
  });
  const woosh = createWooshpayClient({ apiKey: KEY, baseUrl: base });
  const wooshOnFetch = createWooshpayClient({ apiKey: KEY, baseUrl: base, fetch: globalThis.fetch });

  const cozeSdk = new CozeAPI({ token: TOKEN, baseURL: base });
  const cogniteSdk = new CogniteClient({
    appId: "bench",
    project: "bench",
    baseUrl: base,
    oidcTokenProvider: async () => TOKEN,
  });
  await cogniteSdk.authenticate();
  const { hostname, port } = new URL(base);
  const stripe = new Stripe(KEY, { host: hostname, port: Number(port), protocol: "http", telemetry: false });

  const check = (result) => {
    if (result.error !== undefined || result.data === undefined) throw new Error("bad response");
    return result.data;
  };

  return {
    coze: {
      [RAW_FETCH]: rawFetch(cozeUrl, bearer),
      [RAW_FETCH_DEADLINE]: rawFetchWithDeadline(cozeUrl, bearer),
      ...rawNode(cozeUrl, bearer),
      "openapi-fetch (fetch)": () =>
        ofCoze.GET("/v1/files/retrieve", { params: { query: { file_id: COZE_FILE } }, headers: bearer }).then(check),
      "@org/coze-files (fetch)": () => cozeOnFetch.files.retrieve({ file_id: COZE_FILE }),
      "@org/coze-files": () => coze.files.retrieve({ file_id: COZE_FILE }),
      "@coze/api": () => cozeSdk.files.retrieve(COZE_FILE),
    },
    cognite: {
      [RAW_FETCH]: rawFetch(cogniteUrl, bearer),
      [RAW_FETCH_DEADLINE]: rawFetchWithDeadline(cogniteUrl, bearer),
      ...rawNode(cogniteUrl, bearer),
      "openapi-fetch (fetch)": () =>
        ofCognite.GET("/files/{id}", { params: { path: { id: COGNITE_ID } }, headers: bearer }).then(check),
      "@org/cognite-files (fetch)": () => cogniteOnFetch.files.retrieve({ id: COGNITE_ID }),
      "@org/cognite-files": () => cognite.files.retrieve({ id: COGNITE_ID }),
      "@cognite/sdk": () => cogniteSdk.files.retrieve([{ id: COGNITE_ID }]),
    },
    wooshpay: {
      [RAW_FETCH]: rawFetch(wooshpayUrl, basic),
      [RAW_FETCH_DEADLINE]: rawFetchWithDeadline(wooshpayUrl, basic),
      ...rawNode(wooshpayUrl, basic),
      "openapi-fetch (fetch)": () =>
        ofWoosh.GET("/v1/files/{id}", { params: { path: { id: WOOSHPAY_FILE } }, headers: basic }).then(check),
      "@org/wooshpay-files (fetch)": () => wooshOnFetch.files.retrieve({ id: WOOSHPAY_FILE }),
      "@org/wooshpay-files": () => woosh.files.retrieve({ id: WOOSHPAY_FILE }),
      stripe: () => stripe.files.retrieve(WOOSHPAY_FILE),
    },
    transport: transportFloor(cozeUrl, bearer),
  };
}

/** The names of the raw Node transports in every provider group (the floor of the Node target). */
export const RAW_NODE = ["node:http keep-alive", "undici.request"];

/**
 * One GET of `url` through a bare `node:http` keep-alive agent and through undici 7's `request`
 * on a keep-alive dispatcher, each with its own connection pool, parsing the body as JSON and
 * doing nothing else (no status check, no decoding of content codings: the server sends none).
 */
function rawNode(url, headers) {
  const agent = new HttpAgent({ keepAlive: true });
  const dispatcher = new UndiciAgent({ connections: 64, keepAliveTimeout: 30_000 });
  const target = new URL(url);
  const options = {
    hostname: target.hostname,
    port: target.port,
    path: `${target.pathname}${target.search}`,
    headers,
    agent,
  };
  const httpGet = () =>
    new Promise((resolve, reject) => {
      const req = httpRequest(options, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch (error) {
            reject(error);
          }
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  return {
    [RAW_NODE[0]]: httpGet,
    [RAW_NODE[1]]: () => undiciRequest(url, { headers, dispatcher }).then((res) => res.body.json()),
  };
}

/** The same coze request through each transport alone, parsed as JSON. */
function transportFloor(url, headers) {
  const transport = createNodeTransport();
  const decoder = new TextDecoder();
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  // a fresh WireRequest per call, with the deadline the engine gives an attempt by default (60 s)
  const wire = () => ({
    method: "GET",
    url,
    headers: lower,
    body: undefined,
    signal: undefined,
    deadline: Date.now() + 60_000,
  });
  return {
    [RAW_FETCH]: rawFetch(url, headers),
    [RAW_FETCH_DEADLINE]: rawFetchWithDeadline(url, headers),
    "node-fetch 2": () => nodeFetch2(url, { headers }).then(json),
    ...rawNode(url, headers),
    "@org/client-core node transport": () => transport(wire()).then((res) => JSON.parse(decoder.decode(res.body))),
  };
}
