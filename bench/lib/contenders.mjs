// The per-request contenders, all pointed at the local benchmark server: raw fetch, bare
// openapi-fetch, our clients and the official SDKs, plus the transport floor (node:http, undici,
// node-fetch 2 and our Node transport). Each contender is `() => Promise<unknown>` resolving to
// the parsed body.
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { CogniteClient } from "@cognite/sdk";
import { CozeAPI } from "@coze/api";
import { nodeFetch, TransportRequest } from "@org/client-core/node-transport";
import { createCogniteClient } from "@org/cognite-files";
import { createCozeClient } from "@org/coze-files";
import { createWooshpayClient } from "@org/wooshpay-files";
import nodeFetch2 from "node-fetch";
import createClient from "openapi-fetch";
import Stripe from "stripe";
import { Agent as UndiciAgent, request as undiciRequest } from "undici";

const TOKEN = "pat_bench_token";
const KEY = "sk_test_bench";
const COZE_FILE = "7369495981102022700";
const COGNITE_ID = 4503599627370496;
const WOOSHPAY_FILE = "file_bench";

const json = (response) => response.json();

/** Contenders by provider, plus the transport floor. */
export async function contenders(base) {
  const cozeUrl = `${base}/v1/files/retrieve?file_id=${COZE_FILE}`;
  const cogniteBase = `${base}/api/v1/projects/bench`;
  const wooshpayUrl = `${base}/v1/files/${WOOSHPAY_FILE}`;
  const bearer = { Accept: "application/json", Authorization: `Bearer ${TOKEN}` };
  const basic = { Accept: "application/json", Authorization: `Basic ${btoa(`${KEY}:`)}` };

  const ofCoze = createClient({ baseUrl: base });
  const sameTransport = { fetch: nodeFetch, Request: TransportRequest };
  const ofCozeNode = createClient({ baseUrl: base, ...sameTransport });
  const ofCognite = createClient({ baseUrl: cogniteBase });
  const ofCogniteNode = createClient({ baseUrl: cogniteBase, ...sameTransport });
  const ofWoosh = createClient({ baseUrl: base });
  const ofWooshNode = createClient({ baseUrl: base, ...sameTransport });

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

  const get = (path, headers) => ofCoze.GET(path, { headers });
  const check = (result) => {
    if (result.error !== undefined || result.data === undefined) throw new Error("bad response");
    return result.data;
  };

  return {
    coze: {
      "raw fetch": () => fetch(cozeUrl, { headers: bearer }).then(json),
      "openapi-fetch (fetch)": () =>
        ofCoze.GET("/v1/files/retrieve", { params: { query: { file_id: COZE_FILE } }, headers: bearer }).then(check),
      "openapi-fetch (node transport)": () =>
        ofCozeNode
          .GET("/v1/files/retrieve", { params: { query: { file_id: COZE_FILE } }, headers: bearer })
          .then(check),
      "@org/coze-files (fetch)": () => cozeOnFetch.files.retrieve({ file_id: COZE_FILE }),
      "@org/coze-files": () => coze.files.retrieve({ file_id: COZE_FILE }),
      "@coze/api": () => cozeSdk.files.retrieve(COZE_FILE),
    },
    cognite: {
      "raw fetch": () => fetch(`${cogniteBase}/files/${COGNITE_ID}`, { headers: bearer }).then(json),
      "openapi-fetch (fetch)": () =>
        ofCognite.GET("/files/{id}", { params: { path: { id: COGNITE_ID } }, headers: bearer }).then(check),
      "openapi-fetch (node transport)": () =>
        ofCogniteNode.GET("/files/{id}", { params: { path: { id: COGNITE_ID } }, headers: bearer }).then(check),
      "@org/cognite-files (fetch)": () => cogniteOnFetch.files.retrieve({ id: COGNITE_ID }),
      "@org/cognite-files": () => cognite.files.retrieve({ id: COGNITE_ID }),
      "@cognite/sdk": () => cogniteSdk.files.retrieve([{ id: COGNITE_ID }]),
    },
    wooshpay: {
      "raw fetch": () => fetch(wooshpayUrl, { headers: basic }).then(json),
      "openapi-fetch (fetch)": () =>
        ofWoosh.GET("/v1/files/{id}", { params: { path: { id: WOOSHPAY_FILE } }, headers: basic }).then(check),
      "openapi-fetch (node transport)": () =>
        ofWooshNode.GET("/v1/files/{id}", { params: { path: { id: WOOSHPAY_FILE } }, headers: basic }).then(check),
      "@org/wooshpay-files (fetch)": () => wooshOnFetch.files.retrieve({ id: WOOSHPAY_FILE }),
      "@org/wooshpay-files": () => woosh.files.retrieve({ id: WOOSHPAY_FILE }),
      stripe: () => stripe.files.retrieve(WOOSHPAY_FILE),
    },
    transport: transportFloor(cozeUrl, bearer, get),
  };
}

/** The same coze request through each transport, parsed as JSON. */
function transportFloor(url, headers) {
  const agent = new HttpAgent({ keepAlive: true });
  const dispatcher = new UndiciAgent({ connections: 64 });
  const target = new URL(url);
  const httpGet = () =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        { hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers, agent },
        (res) => {
          const chunks = [];
          res.on("data", (chunk) => chunks.push(chunk));
          res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
  return {
    "raw fetch": () => fetch(url, { headers }).then(json),
    "node-fetch 2": () => nodeFetch2(url, { headers }).then(json),
    "node:http keep-alive": httpGet,
    "undici.request": () => undiciRequest(url, { headers, dispatcher }).then((res) => res.body.json()),
    "@org/client-core node transport": () => nodeFetch(url, { headers }).then(json),
  };
}
