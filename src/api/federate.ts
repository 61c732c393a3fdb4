/**
 * `GET /federate?match[]=…`: the latest sample within the lookback delta of every series a
 * selector matches, as untyped families sorted by metric name, each sample with its timestamp
 * and the external labels it does not carry (always `instance`, empty when unset), as
 * Prometheus's federation handler writes them. Stale markers are left out; so are series
 * without a metric name.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { METRIC_NAME, compareStrings, type Labels, type Matcher } from "../model/index.js";
import type { Clock } from "../runtime/index.js";
import { isStaleNaN, mergeSeriesSets, type Queryable } from "../storage/index.js";
import { negotiateFormat, type FederatedFamily, type FederatedMetric } from "./federate-encode.js";
import { formOf } from "./form.js";
import { parseSeriesSelector } from "./selector.js";

/** What `/federate` reads. */
export interface FederateOptions {
  readonly queryable: Queryable;
  /** "Now": the newest time a federated sample may have. */
  readonly clock: Clock;
  /** How old a series' latest sample may be (ms), the engine's lookback delta. */
  readonly lookbackDelta: number;
  /** The external labels of the configuration in force. */
  readonly externalLabels: () => Readonly<Record<string, string>>;
}

/** Registers `GET /federate`. */
export function registerFederate(app: FastifyInstance, options: FederateOptions): void {
  app.get("/federate", async (request, reply) => {
    let sets: Matcher[][];
    try {
      sets = formOf(request).getAll("match[]").map((s) => parseSeriesSelector(s));
    } catch (err) {
      return plainError(reply, 400, (err as Error).message);
    }
    const format = negotiateFormat(request.headers.accept);
    let families: FederatedFamily[];
    try {
      families = await federate(options, sets);
    } catch (err) {
      return plainError(reply, 500, (err as Error).message);
    }
    return reply.code(200).header("content-type", format.contentType).send(format.encode(families));
  });
}

// As Go's http.Error: the message and a newline, as plain text the browser must not sniff.
function plainError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .header("content-type", "text/plain; charset=utf-8")
    .header("x-content-type-options", "nosniff")
    .send(Buffer.from(`${message}\n`));
}

async function federate(o: FederateOptions, sets: readonly Matcher[][]): Promise<FederatedFamily[]> {
  if (sets.length === 0) return [];
  const maxt = o.clock.now();
  const mint = maxt - o.lookbackDelta;
  const latest: { labels: Labels; t: number; v: number }[] = [];
  const q = await o.queryable.querier(mint, maxt);
  try {
    const set = mergeSeriesSets(sets.map((ms) => q.select(ms, { start: mint, end: maxt })));
    while (set.next()) {
      const series = set.at();
      const it = series.iterator();
      let found = false;
      let t = 0;
      let v = 0;
      while (it.next()) {
        if (it.at() > maxt) break;
        found = true;
        t = it.at();
        v = it.value();
      }
      // The exposition formats cannot carry stale markers; a stale series simply ends here.
      if (found && !isStaleNaN(v)) latest.push({ labels: series.labels, t, v });
    }
  } finally {
    await q.close();
  }
  // Stable, so series of one family stay in label order.
  latest.sort((a, b) => compareStrings(a.labels.get(METRIC_NAME), b.labels.get(METRIC_NAME)));
  const external = o.externalLabels();
  const externalNames = [...new Set([...Object.keys(external), "instance"])].sort(compareStrings);
  const families: { name: string; metrics: FederatedMetric[] }[] = [];
  for (const s of latest) {
    const name = s.labels.get(METRIC_NAME);
    if (name === "") continue;
    const labels: [string, string][] = [];
    for (const l of s.labels) if (l.name !== METRIC_NAME && l.value !== "") labels.push([l.name, l.value]);
    for (const n of externalNames) if (!s.labels.has(n)) labels.push([n, external[n] ?? ""]);
    const last = families[families.length - 1];
    const metric = { labels, value: s.v, timestampMs: s.t };
    if (last?.name === name) last.metrics.push(metric);
    else families.push({ name, metrics: [metric] });
  }
  return families;
}
