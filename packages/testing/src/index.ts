export { type Handler, json, type ReceivedRequest, startServer, type TestServer } from "./http-server.js";
export { prismUrl } from "./prism.js";
