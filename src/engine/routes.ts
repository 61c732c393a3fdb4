import type { FastifyInstance } from "fastify";
import { parseSeriesSelector, registerSeriesApi, registerTargetsApi } from "../api/index.js";
import type { Queryable } from "../storage/index.js";
import type { Engine } from "./engine.js";

/** Registers the engine's Prometheus API routes: targets, target metadata, series, labels. */
export function engineRoutes(engine: Engine, queryable: Queryable): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    registerTargetsApi(app, { targets: engine.scrape, parseSelector: parseSeriesSelector });
    await registerSeriesApi(app, { queryable });
  };
}
