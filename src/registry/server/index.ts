export { RegistryServer } from "./server.js";
export type { RegistryServerOptions } from "./server.js";
export { LivenessTracker, NODE_DEAD_OUTPUT } from "./liveness.js";
export { WanRouter } from "./wan.js";
export type { WanRouterOptions } from "./wan.js";
