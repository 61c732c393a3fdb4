import type { FastifyInstance } from "fastify";
import { parseSeriesSelector, registerAdminApi, registerSeriesApi, registerTargetsApi, type AdminApiOptions } from "../api/index.js";
import type { Queryable } from "../storage/index.js";
import type { Engine } from "./engine.js";

/**
 * Registers the engine's Prometheus API routes: targets, target metadata, series, labels, and the
 * TSDB admin API when `admin` is given (enabled or not, as `--web.enable-admin-api` says).
 */
export function engineRoutes(engine: Engine, queryable: Queryable, admin?: AdminApiOptions): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    registerTargetsApi(app, { targets: engine.scrape, parseSelector: parseSeriesSelector });
    await registerSeriesApi(app, { queryable });
    if (admin !== undefined) await registerAdminApi(app, admin);
  };
}
