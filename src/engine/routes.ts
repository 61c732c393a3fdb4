import type { FastifyInstance } from "fastify";
import {
  parseSeriesSelector,
  registerAdminApi,
  registerExprApi,
  registerFederate,
  registerMetadataApi,
  registerQueryApi,
  registerRulesApi,
  registerSeriesApi,
  registerStatusApi,
  registerTargetsApi,
  type AdminApiOptions,
  type ExprParser,
  type StatusApiOptions,
} from "../api/index.js";
import { PromQLEngine } from "../promql/index.js";
import { FUNCTIONS, parseExpr, prettify } from "../promql/parser/index.js";
import type { Clock } from "../runtime/index.js";
import type { Queryable } from "../storage/index.js";
import type { Engine } from "./engine.js";

/** What the engine's API serves besides the engine and its storage. */
export interface EngineRoutesOptions {
  /** "Now" for instant queries without a time, and for federation. */
  readonly clock: Clock;
  /** Evaluates PromQL; its lookback delta also bounds federation. A default engine when absent. */
  readonly promql?: PromQLEngine;
  /** The TSDB admin API, registered (enabled or not, as `--web.enable-admin-api` says) when given. */
  readonly admin?: AdminApiOptions;
  /** The status endpoints, registered when given. */
  readonly status?: StatusApiOptions;
  /** The external labels of the configuration in force, added by `/federate`; none when absent. */
  readonly externalLabels?: () => Readonly<Record<string, string>>;
}

/** The promql module's parser, as the API's parse-only endpoints use it. */
const PARSER: ExprParser = {
  parse: (query) => parseExpr(query),
  prettify: (expr) => prettify(expr),
  signature: (name) => {
    const f = FUNCTIONS.get(name);
    if (f === undefined) throw new Error(`unknown function ${name}`);
    return f;
  },
};

/**
 * Registers the engine's Prometheus API routes: queries, series and labels, metadata, targets,
 * status, rules and alerts, `/federate`, and the TSDB admin API when asked.
 */
export function engineRoutes(engine: Engine, queryable: Queryable, options: EngineRoutesOptions): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    const promql = options.promql ?? new PromQLEngine();
    registerTargetsApi(app, { targets: engine.scrape, parseSelector: parseSeriesSelector });
    registerMetadataApi(app, { targets: engine.scrape });
    await registerSeriesApi(app, { queryable });
    await registerQueryApi(app, { engine: promql, queryable, clock: options.clock });
    await registerExprApi(app, { parser: PARSER });
    registerRulesApi(app);
    registerFederate(app, {
      queryable,
      clock: options.clock,
      lookbackDelta: promql.options.lookbackDelta,
      externalLabels: options.externalLabels ?? (() => ({})),
    });
    if (options.status !== undefined) registerStatusApi(app, options.status);
    if (options.admin !== undefined) await registerAdminApi(app, options.admin);
  };
}
