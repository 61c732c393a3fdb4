import type { HealthCheck, HealthStatus } from "../types.js";

/** Check ID Consul uses for node maintenance mode. */
export const NODE_MAINTENANCE_CHECK_ID = "_node_maintenance";
/** Prefix of the check ID Consul uses for service maintenance mode. */
export const SERVICE_MAINTENANCE_CHECK_PREFIX = "_service_maintenance:";
/** Check ID of the agent-liveness check the server keeps for every agent's node. */
export const SERF_HEALTH_CHECK_ID = "serfHealth";

/** Whether `s` is one of the check statuses a client may set. */
export function isHealthStatus(s: unknown): s is Exclude<HealthStatus, "maintenance"> {
  return s === "passing" || s === "warning" || s === "critical";
}

/**
 * The overall status of a set of checks, as Consul's Go client computes it (and Prometheus's
 * `__meta_consul_health` label shows): maintenance beats critical beats warning beats passing.
 */
export function aggregatedStatus(checks: readonly HealthCheck[]): HealthStatus {
  let passing = false;
  let warning = false;
  let critical = false;
  let maintenance = false;
  for (const c of checks) {
    if (c.CheckID === NODE_MAINTENANCE_CHECK_ID || c.CheckID.startsWith(SERVICE_MAINTENANCE_CHECK_PREFIX)) {
      maintenance = true;
      continue;
    }
    if (c.Status === "passing") passing = true;
    else if (c.Status === "warning") warning = true;
    else if (c.Status === "critical") critical = true;
  }
  if (maintenance) return "maintenance";
  if (critical) return "critical";
  if (warning) return "warning";
  if (passing) return "passing";
  return "passing";
}
