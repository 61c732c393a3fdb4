import { Labels, METRIC_NAME, MeridianError } from "../model/index.js";
import { ParseError, createParser, formatFromContentType } from "../exposition/index.js";
import type { Appendable, Appender, SeriesRef } from "../storage/index.js";
import { staleNaN } from "../storage/index.js";
import type { Clock, Logger } from "../runtime/index.js";
import { ScrapeError, fetchTarget, type ScrapeBody } from "./fetch-target.js";
import type { ScrapeJob } from "./job.js";
import { relabel, type CompiledRelabel } from "./relabel/index.js";
import type { Target } from "./target.js";

/** Counters the loops share, owned by the manager. */
export interface ScrapeStats {
  outOfOrder: number;
  duplicate: number;
  outOfBounds: number;
  samplesAppended: number;
}

/** What a loop needs besides its target. */
export interface LoopDeps {
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly userAgent: string;
  readonly stats: ScrapeStats;
  /** Fetches a body; `fetchTarget` unless a test passes another. */
  readonly fetch?: typeof fetchTarget;
}

// One cached exposed series: its raw bytes as a latin1 string (the cache key), its final labels
// and storage ref, or that metric relabeling dropped it.
interface CacheEntry {
  readonly key: string;
  labels: Labels | undefined;
  ref: SeriesRef;
  lastIter: number;
}

// New targets are scraped within this long of being discovered.
const FIRST_SCRAPE_SPREAD_MS = 200;

const REPORT_NAMES = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"] as const;

/**
 * Scrapes one target on its interval and appends what it finds, as Prometheus's scrapeLoop does:
 * labels from the target are merged in (`honor_labels`, `exported_` on conflict), metric
 * relabeling and limits apply, series that disappear get staleness markers, and the five report
 * series (`up`, `scrape_duration_seconds`, …) are appended after every scrape. A failing target
 * only fails its own scrape.
 */
export class ScrapeLoop {
  readonly target: Target;
  readonly #job: ScrapeJob;
  readonly #rules: readonly CompiledRelabel[];
  readonly #deps: LoopDeps;
  readonly #abort = new AbortController();
  readonly #cache = new Map<string, CacheEntry>();
  // The entries in the order the last successful scrape met its series. Targets expose series in
  // a stable order, so the i-th series of a scrape is almost always the i-th of the last one, and
  // comparing its bytes in place finds it without building a key string per sample.
  #order: CacheEntry[] = [];
  // Series appended without explicit timestamps by the last successful scrape: the ones that go
  // stale when a later scrape lacks them. An array of cache entries, not a map of copies, because
  // this runs for every sample.
  #lastSeen: CacheEntry[] = [];
  readonly #reportRefs = new Map<string, SeriesRef>();
  #iter = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #forcedError: string | undefined;

  constructor(target: Target, job: ScrapeJob, metricRules: readonly CompiledRelabel[], deps: LoopDeps) {
    this.target = target;
    this.#job = job;
    this.#rules = metricRules;
    this.#deps = deps;
  }

  /**
   * Starts scraping: the first scrape comes at once (spread over at most 200 ms by the target's
   * hash, so a burst of new targets does not fire together), later ones every interval at an
   * offset derived from the hash, so targets spread over the interval.
   */
  start(): void {
    const hash = Number(this.target.labels.hash() % 1_000_003n);
    this.#schedule(hash % Math.min(FIRST_SCRAPE_SPREAD_MS, this.target.intervalMs));
  }

  /** Stops the loop; with `staleness`, marks every series of the last scrape stale. */
  async stop(staleness: boolean): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
    if (staleness) await this.#markAllStale(this.#deps.clock.now());
  }

  /** Makes every scrape fail with `error` (without fetching) until cleared with undefined. */
  setForcedError(error: string | undefined): void {
    this.#forcedError = error;
    if (error !== undefined) {
      this.target.health = "down";
      this.target.lastError = error;
    }
  }

  /** Runs one scrape now (tests and the manager's first scrape use it). */
  scrapeOnce(): Promise<void> {
    this.#running = this.#scrape();
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.scrapeOnce().finally(() => {
        const interval = this.target.intervalMs;
        const hash = Number(this.target.labels.hash() % BigInt(Math.max(1, interval)));
        const now = this.#deps.clock.now();
        // Next tick at the target's fixed offset within the interval.
        let next = interval - (now % interval) + hash;
        if (next > interval) next -= interval;
        this.#schedule(Math.max(1, next));
      });
    }, delayMs);
  }

  async #scrape(): Promise<void> {
    const { clock, logger } = this.#deps;
    const start = clock.now();
    const started = performance.now();
    let body: ScrapeBody | undefined;
    let error: string | undefined = this.#forcedError;
    if (error === undefined) try {
      body = await (this.#deps.fetch ?? fetchTarget)({
        url: this.target.url(),
        timeoutMs: this.target.timeoutMs,
        bodySizeLimit: this.#job.bodySizeLimitBytes,
        http: this.#job.http,
        userAgent: this.#deps.userAgent,
        signal: this.#abort.signal,
      });
    } catch (err) {
      error = err instanceof ScrapeError ? err.message : (err as Error).message;
    }
    if (this.#stopped) return;

    let counts = { scraped: 0, post: 0, added: 0 };
    let app = this.#deps.appendable.appender();
    if (body) {
      try {
        counts = this.#append(app, body, start);
      } catch (err) {
        error = err instanceof ParseError || err instanceof MeridianError ? err.message : String(err);
        // Prometheus reports what the failed attempt counted (all samples, for a sample limit).
        if (err instanceof AppendFailure) counts = err.counts;
        await app.rollback();
        app = this.#deps.appendable.appender();
      }
    }
    if (error !== undefined) {
      // A failed scrape counts as an empty one: everything it had goes stale.
      this.#appendStale(app, this.#lastSeen, start);
      this.#lastSeen = [];
    }
    const durationMs = performance.now() - started;
    this.#appendReport(app, start, error === undefined ? 1 : 0, durationMs / 1000, counts);
    try {
      await app.commit();
    } catch (err) {
      logger.error({ target: this.target.url().href, err }, "scrape commit failed");
    }
    this.target.health = error === undefined ? "up" : "down";
    this.target.lastError = error ?? "";
    this.target.lastScrapeMs = start;
    this.target.lastScrapeDurationMs = durationMs;
    if (error !== undefined) logger.debug({ target: this.target.url().href, err: error }, "scrape failed");
  }

  // Parses the body and appends its samples; throws (ParseError, limits) to fail the whole scrape.
  #append(app: Appender, { body, contentType }: ScrapeBody, t: number): { scraped: number; post: number; added: number } {
    const job = this.#job;
    const parser = createParser(body, formatFromContentType(contentType));
    const iter = ++this.#iter;
    const seen: CacheEntry[] = [];
    const last = this.#order;
    const order: CacheEntry[] = [];
    let distinct = 0;
    let scraped = 0;
    let post = 0;
    let added = 0;
    let limitExceeded = false;
    for (;;) {
      const entry = parser.next();
      if (entry === "eof") break;
      if (entry === "type" || entry === "help" || entry === "unit") {
        const family = parser.name();
        const meta = this.target.metadata.get(family) ?? { type: "unknown" as const, help: "", unit: "" };
        if (entry === "type") meta.type = parser.type();
        else if (entry === "help") meta.help = parser.help();
        else meta.unit = parser.unit();
        this.target.metadata.set(family, meta);
        continue;
      }
      if (entry !== "series") continue;
      const key = parser.seriesKey();
      let cached = last[scraped];
      scraped++;
      if (cached?.key !== key) {
        cached = this.#cache.get(key);
        if (!cached) {
          const final = mutateSampleLabels(parser.labels(), this.target.publicLabels(), job.honorLabels, this.#rules);
          cached = { key, labels: final, ref: 0, lastIter: 0 };
          if (final) checkLabelLimits(final, job);
          this.#cache.set(key, cached);
          if (final) added++;
        }
      }
      order.push(cached);
      if (cached.lastIter !== iter) {
        cached.lastIter = iter;
        distinct++;
      }
      const labels = cached.labels;
      if (!labels) continue;
      post++;
      // Past the limit nothing more is appended, but the rest is still counted, as Prometheus does.
      if (job.sampleLimit > 0 && post > job.sampleLimit) {
        limitExceeded = true;
        continue;
      }
      const ts = job.honorTimestamps ? parser.timestampMs() : undefined;
      try {
        cached.ref = app.append(cached.ref, labels, ts ?? t, parser.value());
        this.#deps.stats.samplesAppended++;
      } catch (err) {
        this.#countAppendError(err);
        continue;
      }
      if (ts === undefined) seen.push(cached);
    }
    if (limitExceeded) throw new AppendFailure("sample limit exceeded", { scraped, post, added });
    // Seen last time, absent now: stale. An entry seen this time has lastIter === iter.
    this.#appendStale(app, this.#lastSeen.filter((e) => e.lastIter !== iter), t);
    this.#lastSeen = seen;
    this.#order = order;
    // Forget exposed series not seen for two scrapes, so the cache follows the target's churn.
    if (distinct < this.#cache.size) {
      this.#cache.forEach((v, k, cache) => {
        if (v.lastIter < iter - 1) cache.delete(k);
      });
    }
    return { scraped, post, added };
  }

  #appendStale(app: Appender, series: readonly { labels?: Labels | undefined; ref: SeriesRef }[], t: number): void {
    const stale = staleNaN();
    for (const s of series) {
      if (!s.labels) continue;
      try {
        app.append(s.ref, s.labels, t, stale);
      } catch (err) {
        this.#countAppendError(err);
      }
    }
  }

  #appendReport(app: Appender, t: number, up: number, durationSeconds: number, c: { scraped: number; post: number; added: number }): void {
    const values: Record<(typeof REPORT_NAMES)[number], number> = {
      up,
      scrape_duration_seconds: durationSeconds,
      scrape_samples_scraped: c.scraped,
      scrape_samples_post_metric_relabeling: c.post,
      scrape_series_added: c.added,
    };
    for (const name of REPORT_NAMES) {
      const labels = this.target.publicLabels().with(METRIC_NAME, name);
      try {
        this.#reportRefs.set(name, app.append(this.#reportRefs.get(name) ?? 0, labels, t, values[name]));
      } catch (err) {
        this.#countAppendError(err);
      }
    }
  }

  async #markAllStale(t: number): Promise<void> {
    const app = this.#deps.appendable.appender();
    this.#appendStale(app, this.#lastSeen, t);
    // Only report series this loop wrote: a loop stopped before its first scrape (a new target
    // over target_limit, say) must not create series that hold nothing but a stale marker.
    this.#appendStale(
      app,
      REPORT_NAMES.filter((name) => this.#reportRefs.has(name)).map((name) => ({ labels: this.target.publicLabels().with(METRIC_NAME, name), ref: this.#reportRefs.get(name) ?? 0 })),
      t,
    );
    this.#lastSeen = [];
    try {
      await app.commit();
    } catch (err) {
      this.#deps.logger.warn({ target: this.target.url().href, err }, "staleness markers not written");
    }
  }

  #countAppendError(err: unknown): void {
    const code = err instanceof MeridianError ? err.code : "";
    if (code.includes("out_of_order")) this.#deps.stats.outOfOrder++;
    else if (code.includes("duplicate")) this.#deps.stats.duplicate++;
    else if (code.includes("out_of_bounds")) this.#deps.stats.outOfBounds++;
    else throw err;
  }
}

// A scrape whose samples were refused as a whole, with the counts Prometheus still reports.
class AppendFailure extends ScrapeError {
  readonly counts: { scraped: number; post: number; added: number };

  constructor(message: string, counts: { scraped: number; post: number; added: number }) {
    super(message);
    this.counts = counts;
  }
}

/**
 * Merges a target's labels into an exposed sample's labels as Prometheus's mutateSampleLabels:
 * with `honor_labels` exposed labels win; otherwise target labels win and clashing exposed labels
 * are kept as `exported_<name>` (prefixed again until free). Then metric relabeling runs.
 */
export function mutateSampleLabels(exposed: Labels, target: Labels, honor: boolean, rules: readonly CompiledRelabel[]): Labels | undefined {
  let merged: Labels;
  if (honor) merged = target.merge(exposed);
  else if (!clashes(exposed, target)) merged = exposed.merge(target);
  else merged = withExportedLabels(exposed, target);
  return rules.length > 0 ? relabel(merged, rules) : merged;
}

function clashes(exposed: Labels, target: Labels): boolean {
  for (let i = 0; i < target.size; i++) if (exposed.has(target.nameAt(i))) return true;
  return false;
}

// Target labels win; each clashing exposed label is kept as `exported_<name>`.
function withExportedLabels(exposed: Labels, target: Labels): Labels {
  const out = exposed.toRecord();
  const conflicts: { name: string; value: string }[] = [];
  for (const l of target) {
    const existing = exposed.get(l.name);
    if (existing !== "") conflicts.push({ name: l.name, value: existing });
    out[l.name] = l.value;
  }
  conflicts.sort((a, b) => a.name.length - b.name.length);
  const taken = (name: string, upTo: number) => exposed.has(name) || target.has(name) || conflicts.slice(0, upTo).some((c) => c.name === name);
  conflicts.forEach((c, i) => {
    let name = c.name;
    do name = `exported_${name}`;
    while (taken(name, i));
    c.name = name;
  });
  for (const c of conflicts) out[c.name] = c.value;
  return Labels.fromRecord(out);
}

function checkLabelLimits(labels: Labels, job: ScrapeJob): void {
  if (job.labelLimit <= 0 && job.labelNameLengthLimit <= 0 && job.labelValueLengthLimit <= 0) return;
  if (job.labelLimit > 0 && labels.size > job.labelLimit) {
    throw new ScrapeError(`label_limit exceeded (metric: ${labels.metricName}, number of labels: ${labels.size}, limit: ${job.labelLimit})`);
  }
  for (const l of labels) {
    if (job.labelNameLengthLimit > 0 && l.name.length > job.labelNameLengthLimit) {
      throw new ScrapeError(`label_name_length_limit exceeded (metric: ${labels.metricName}, label name: ${l.name}, length: ${l.name.length}, limit: ${job.labelNameLengthLimit})`);
    }
    if (job.labelValueLengthLimit > 0 && l.value.length > job.labelValueLengthLimit) {
      throw new ScrapeError(`label_value_length_limit exceeded (metric: ${labels.metricName}, label name: ${l.name}, value: "${l.value}", length: ${l.value.length}, limit: ${job.labelValueLengthLimit})`);
    }
  }
}
