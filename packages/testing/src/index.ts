export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  type ChromiumAvailability,
  findChromium,
  isCI,
  launchChromium,
  type PageProblems,
  watchPageProblems,
} from "./browser.js";
export { recordEscapes } from "./escapes.js";
export { fakeClock, type Outcome, track, until } from "./fake-clock.js";
export {
  type GeneratedBody,
  type HostileAction,
  type HostileCoding,
  type HostileServer,
  scriptPath,
  startHostileServer,
} from "./hostile-server.js";
export { type Handler, json, type ReceivedRequest, startServer, type TestServer } from "./http-server.js";
export { hostileServerForFile, memoryLogger, recordingFetch, redirectFetch, serve } from "./per-test.js";
export { prismUrl } from "./prism.js";
export { type StaticFile, type StaticServer, serveFiles } from "./static-server.js";
