export { Engine } from "./engine.js";
export type { EngineOptions } from "./engine.js";
export { engineRoutes } from "./routes.js";
export type { EngineRoutesOptions } from "./routes.js";
export { toScrapeJob } from "./scrape-jobs.js";
export { TsdbService } from "./tsdb-service.js";
export type { TsdbServiceOptions } from "./tsdb-service.js";
export { RuntimeStatus, retentionText } from "./runtime-status.js";
export { configForDisplay } from "./config-text.js";
