/**
 * `GET /api/v1/metadata`: the metric metadata (type, help, unit) the scrapes have seen, merged
 * over every active target, as Prometheus 3 answers it (Grafana's metric browser reads it).
 */
import type { FastifyInstance } from "fastify";
import { compareStrings } from "../model/index.js";
import { ApiError } from "./errors.js";
import { formOf } from "./form.js";
import type { FormValues } from "./params.js";
import { RawJson, goJson, sendError, sendSuccess } from "./response.js";
import type { TargetRetriever } from "./targets.js";

interface Metadata {
  readonly type: string;
  readonly help: string;
  readonly unit: string;
}

/** Registers `GET /api/v1/metadata` over the targets' metadata caches. */
export function registerMetadataApi(app: FastifyInstance, options: { readonly targets: TargetRetriever }): void {
  app.get("/api/v1/metadata", async (request, reply) => {
    try {
      return sendSuccess(reply, metricMetadata(options.targets, formOf(request)));
    } catch (err) {
      return sendError(reply, err);
    }
  });
}

/**
 * Distinct metadata per metric family, families in name order: at most `limit` families and
 * `limit_per_metric` entries each (negative or absent: all; `limit=0`: none, as in Prometheus).
 * Prometheus picks which families survive a limit in map order; here the first by name survive.
 */
function metricMetadata(targets: TargetRetriever, form: FormValues): RawJson {
  const limit = intParam(form, "limit");
  const perMetric = intParam(form, "limit_per_metric");
  const metric = form.get("metric");
  const found = new Map<string, Map<string, Metadata>>();
  for (const pool of targets.activeTargets().values()) {
    for (const target of pool) {
      for (const [name, meta] of target.metadata) {
        if (metric !== "" && name !== metric) continue;
        let entries = found.get(name);
        if (perMetric > 0 && entries !== undefined && entries.size >= perMetric) continue;
        if (entries === undefined) {
          entries = new Map();
          found.set(name, entries);
        }
        // The text format's "untyped" is what Prometheus stores and reports as "unknown".
        const m = { type: meta.type === "untyped" ? "unknown" : meta.type, help: meta.help, unit: meta.unit };
        entries.set(`${m.type}\u0000${m.help}\u0000${m.unit}`, m);
      }
    }
  }
  // Written as text: a JS object would reorder names that look like integers.
  const parts: string[] = [];
  for (const name of [...found.keys()].sort(compareStrings)) {
    if (limit >= 0 && parts.length >= limit) break;
    const list = [...(found.get(name)?.values() ?? [])];
    parts.push(`${goJson(name)}:${goJson(perMetric > 0 ? list.slice(0, perMetric) : list)}`);
  }
  return new RawJson(`{${parts.join(",")}}`);
}

// An integer parameter as Go's strconv.Atoi takes it; -1 when absent.
function intParam(form: FormValues, name: string): number {
  const s = form.get(name);
  if (s === "") return -1;
  if (!/^[+-]?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new ApiError("bad_data", `${name} must be a number`);
  return Number(s);
}
