export { CatalogStore } from "./store.js";
export type { CatalogOp, CatalogRecord, CatalogSnapshot, Indexed, ServiceQuery } from "./store.js";
export { KeyIndex } from "./watch.js";
export {
  NODE_MAINTENANCE_CHECK_ID,
  SERF_HEALTH_CHECK_ID,
  SERVICE_MAINTENANCE_CHECK_PREFIX,
  aggregatedStatus,
  isHealthStatus,
} from "./health.js";
