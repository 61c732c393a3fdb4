import { MeridianError } from "../../model/index.js";
import { BadRequestError } from "../errors.js";
import {
  AGENT_CHECK_FILTER_SCHEMA,
  AGENT_SERVICE_FILTER_SCHEMA,
  CATALOG_NODE_FILTER_SCHEMA,
  CATALOG_SERVICE_FILTER_SCHEMA,
  HEALTH_CHECK_FILTER_SCHEMA,
  HEALTH_SERVICE_FILTER_SCHEMA,
  NODE_SERVICE_FILTER_SCHEMA,
  compileFilter,
  type FilterSchema,
} from "../filter/index.js";
import type { FilterEndpoint } from "./catalog-routes.js";

/** Endpoints of the agent API that take `?filter=` too. */
export type AgentFilterEndpoint = "agent-services" | "agent-checks";

const SCHEMAS: Readonly<Record<FilterEndpoint | AgentFilterEndpoint, FilterSchema>> = {
  "catalog-services": CATALOG_SERVICE_FILTER_SCHEMA,
  "catalog-service": CATALOG_SERVICE_FILTER_SCHEMA,
  "catalog-nodes": CATALOG_NODE_FILTER_SCHEMA,
  "catalog-node-services": NODE_SERVICE_FILTER_SCHEMA,
  "health-service": HEALTH_SERVICE_FILTER_SCHEMA,
  "health-checks": HEALTH_CHECK_FILTER_SCHEMA,
  "agent-services": AGENT_SERVICE_FILTER_SCHEMA,
  "agent-checks": AGENT_CHECK_FILTER_SCHEMA,
};

/**
 * Compiles `?filter=` expressions against each endpoint's documented fields. An invalid
 * expression is a 400 with Consul's wording; a value that cannot be evaluated counts as no match.
 */
export function consulFilterCompiler(endpoint: FilterEndpoint | AgentFilterEndpoint, expr: string): (value: unknown) => boolean {
  let predicate: (value: unknown) => boolean;
  try {
    predicate = compileFilter(expr, SCHEMAS[endpoint]);
  } catch (err) {
    if (err instanceof MeridianError) throw new BadRequestError(`Failed to create boolean expression evaluator: ${err.message}`);
    throw err;
  }
  return (value) => {
    try {
      return predicate(value);
    } catch {
      return false;
    }
  };
}
