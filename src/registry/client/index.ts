export { ConsulApiError, ConsulClient } from "./client.js";
export type { CheckRegistration, ConsulClientOptions, QueryOptions, QueryResult, ServiceRegistration } from "./client.js";
export { watch } from "./watch.js";
export type { WatchOptions } from "./watch.js";
