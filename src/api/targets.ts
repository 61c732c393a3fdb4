import type { FastifyInstance } from "fastify";
import type { Labels, Matcher } from "../model/index.js";
import type { MetricType } from "../exposition/index.js";
import { formatDuration } from "../model/index.js";

/** A scrape target as the targets API needs to see it. */
export interface TargetView {
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
  readonly lastScrapeMs: number;
  readonly lastScrapeDurationMs: number;
  readonly metadata: ReadonlyMap<string, { type: MetricType; help: string; unit: string }>;
  publicLabels(): Labels;
  url(): URL;
}

/** Where the targets API reads targets from (the scrape manager). */
export interface TargetRetriever {
  activeTargets(): Map<string, readonly TargetView[]>;
  droppedTargets(): Map<string, readonly { discoveredLabels: Labels }[]>;
}

/** Parses `match_target` selectors for `/api/v1/targets/metadata`. */
export type SelectorParser = (selector: string) => Matcher[];

/**
 * Registers `GET /api/v1/targets` and `GET /api/v1/targets/metadata` with Prometheus's response
 * shapes, so Grafana, promtool and scripts read Meridian's scrape state unchanged.
 */
export function registerTargetsApi(app: FastifyInstance, opts: { targets: TargetRetriever; parseSelector: SelectorParser }): void {
  app.get("/api/v1/targets", async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const state = (q["state"] ?? "any").toLowerCase();
    const pool = q["scrapePool"];
    const showActive = state === "any" || state === "active" || state === "";
    const showDropped = state === "any" || state === "dropped" || state === "";
    const pools = (m: Map<string, unknown>) => [...m.keys()].filter((p) => !pool || p === pool).sort();
    const active = opts.targets.activeTargets();
    const dropped = opts.targets.droppedTargets();
    const activeTargets = showActive
      ? pools(active).flatMap((p) =>
          (active.get(p) ?? []).map((t) => ({
            discoveredLabels: t.discoveredLabels.toRecord(),
            labels: t.publicLabels().toRecord(),
            scrapePool: t.scrapePool,
            scrapeUrl: t.url().href,
            globalUrl: t.url().href,
            lastError: t.lastError,
            lastScrape: t.lastScrapeMs > 0 ? new Date(t.lastScrapeMs).toISOString() : "0001-01-01T00:00:00Z",
            lastScrapeDuration: t.lastScrapeDurationMs / 1000,
            health: t.health,
            scrapeInterval: formatDuration(t.intervalMs),
            scrapeTimeout: formatDuration(t.timeoutMs),
          })),
        )
      : [];
    const droppedTargets = showDropped ? pools(dropped).flatMap((p) => (dropped.get(p) ?? []).map((d) => ({ discoveredLabels: d.discoveredLabels.toRecord() }))) : [];
    const data: Record<string, unknown> = {};
    if (showActive) data["activeTargets"] = activeTargets;
    if (showDropped) data["droppedTargets"] = droppedTargets;
    if (state !== "any" && state !== "" && state !== "active" && state !== "dropped") {
      data["activeTargets"] = [];
      data["droppedTargets"] = [];
    }
    return reply.send({ status: "success", data });
  });

  app.get("/api/v1/targets/metadata", async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    let matchers: Matcher[] = [];
    if (q["match_target"]) {
      try {
        matchers = opts.parseSelector(q["match_target"]);
      } catch (err) {
        return reply.code(400).send({ status: "error", errorType: "bad_data", error: (err as Error).message });
      }
    }
    const metric = q["metric"];
    const limit = q["limit"] === undefined ? -1 : Number(q["limit"]);
    if (!Number.isInteger(limit)) return reply.code(400).send({ status: "error", errorType: "bad_data", error: "limit must be a number" });
    const out: unknown[] = [];
    for (const targets of opts.targets.activeTargets().values()) {
      for (const t of targets) {
        const labels = t.publicLabels();
        if (!matchers.every((m) => m.matches(labels.get(m.name)))) continue;
        for (const [name, meta] of [...t.metadata].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          if (metric !== undefined && metric !== name) continue;
          if (limit >= 0 && out.length >= limit) break;
          out.push({ target: labels.toRecord(), metric: name, type: meta.type, help: meta.help, unit: meta.unit });
        }
      }
    }
    if (metric !== undefined && out.length === 0 && matchers.length > 0) {
      return reply.send({ status: "success", data: [] });
    }
    return reply.send({ status: "success", data: out });
  });
}
