// PromQL benchmark: Meridian's engine and a real Prometheus 2.42 answer the same dashboard
// range queries over the same TSDB block, one request at a time, and the median latency of each
// (query, range) is compared.
//
// Data: the differential test's generator (test/e2e/promql-differential/dataset.ts) scaled to
// `--series` series over `--hours` hours, scraped every 15 s: counters, gauges and classic
// histograms of four jobs, with restarts, failed scrapes and stale markers. Meridian's block
// writer writes it as one block (one block, so that neither server compacts during the run);
// each server gets its own copy. `--blocks DIR` keeps the generated block for later runs with the
// same settings (delete it after changing the generator).
//
// Queries (bench/promql/dashboard.ts): six panels (rate by job, histogram_quantile p99 and by
// handler, topk, a regex-matched error ratio, a gauge ratio) over the last 1 h, 6 h and 24 h of
// the data, each with the step Grafana would pick for a panel of `--points` points (range/points
// rounded as Grafana rounds), start and end aligned to the step. Before timing, each pair of
// answers is compared (as the differential test does) and disagreements are reported: a fast
// wrong answer is no result. Then `--warmup` untimed rounds, then `--rounds` timed rounds in
// which the two servers take turns going first; the time of a request runs from sending it to
// the last byte of the answer.
//
// Run: npm run build && node dist/bench/promql-vs-prometheus.js [--series 10000] [--hours 24]
//      [--rounds 10] [--warmup 2] [--points 250] [--seed 1] [--blocks DIR]
// Not part of `npm test`.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { copyDataDir, writeBlocks } from "../test/e2e/promql-differential/blocks.js";
import { compareAnswers } from "../test/e2e/promql-differential/compare.js";
import { SCRAPE_INTERVAL_MS, buildDataset } from "../test/e2e/promql-differential/dataset.js";
import { startMeridianOn, startPrometheusOn } from "../test/e2e/promql-differential/servers.js";
import { PANEL_QUERIES, dashboardWindows, type Window } from "./promql/dashboard.js";
import { geometricMean, median, rangeRequest, resultSize, textTable, timeRequest } from "./promql/measure.js";

// A 2 h boundary, as in the TSDB benchmark; the data ends `hours` later.
const START_MS = 1_700_006_400_000;
// Series per target of the generator: ~172, plus 50 queue series on every fourth (worker) target.
const SERIES_PER_TARGET = 172 + 50 / 4;
const RANGE_HOURS = [1, 6, 24];
const REQUEST_TIMEOUT_MS = 300_000;
// Prometheus' default --query.max-samples, for both.
const MAX_SAMPLES = 50_000_000;

/** Settings of one run. */
interface Settings {
  readonly series: number;
  readonly hours: number;
  readonly rounds: number;
  readonly warmup: number;
  readonly points: number;
  readonly seed: number;
  readonly blocks: string | undefined;
}

function parseSettings(): Settings {
  const { values } = parseArgs({
    options: {
      series: { type: "string", default: "10000" },
      hours: { type: "string", default: "24" },
      rounds: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      points: { type: "string", default: "250" },
      seed: { type: "string", default: "1" },
      blocks: { type: "string" },
    },
  });
  const s: Settings = {
    series: Number(values.series),
    hours: Number(values.hours),
    rounds: Number(values.rounds),
    warmup: Number(values.warmup),
    points: Number(values.points),
    seed: Number(values.seed),
    blocks: values.blocks,
  };
  for (const k of ["series", "hours", "rounds", "points"] as const) if (!(s[k] > 0)) throw new Error(`--${k}: want a positive number`);
  if (!(s.warmup >= 0) || !Number.isInteger(s.seed)) throw new Error("--warmup and --seed: want whole numbers");
  return s;
}

/** Writes the data set's block into `dir`, or reuses the one a run with the same settings left there. */
async function prepareBlocks(s: Settings, dir: string, log: (m: string) => void): Promise<{ series: number; samples: number }> {
  const targets = Math.max(4, Math.round(s.series / SERIES_PER_TARGET));
  // Building the data set is cheap (samples are generated while writing); its series count keys the cache.
  const ds = buildDataset({ seed: s.seed, startMs: START_MS, durationMs: s.hours * 3_600_000, targets });
  const key = JSON.stringify({ targets, hours: s.hours, seed: s.seed, startMs: START_MS, series: ds.series.length });
  const stamp = join(dir, "bench-data.json");
  if (existsSync(stamp)) {
    const saved = JSON.parse(await readFile(stamp, "utf8")) as { key: string; series: number; samples: number };
    if (saved.key === key) {
      log(`reusing the block in ${dir}`);
      return saved;
    }
    await rm(dir, { recursive: true, force: true });
  }
  log(`writing ${ds.series.length} series × ${ds.slots} scrapes (${targets} targets) as one block in ${dir}`);
  const metas = await writeBlocks(dir, ds.series, { cuts: [], ulidTimeMs: START_MS });
  const samples = metas.reduce((acc, m) => acc + (m.stats.numSamples ?? 0), 0);
  const series = Math.max(...metas.map((m) => m.stats.numSeries ?? 0));
  await writeFile(stamp, JSON.stringify({ key, series, samples }));
  return { series, samples };
}

interface Cell {
  readonly query: string;
  readonly expr: string;
  readonly window: Window;
  readonly prometheusMs: number[];
  readonly meridianMs: number[];
  agreement: string;
  size: { series: number; points: number };
  /** Why the cell is not timed: a server refused the query. */
  failed?: string;
}

async function main(): Promise<void> {
  const s = parseSettings();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error("cleanup:", err));
  };
  const t0 = performance.now();
  const log = (msg: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const dir = await mkdtemp(join(tmpdir(), "meridian-bench-promql-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const blocks = s.blocks ?? join(dir, "blocks");
    const data = await prepareBlocks(s, blocks, log);
    // Copies without the cache stamp: both servers see a data directory of blocks only.
    for (const name of ["prometheus-data", "meridian-data"]) {
      await copyDataDir(blocks, join(dir, name));
      await rm(join(dir, name, "bench-data.json"), { force: true });
    }
    log("starting prometheus and meridian engine");
    const settings = { maxSamples: MAX_SAMPLES, readyTimeoutMs: 600_000 };
    const prometheus = await startPrometheusOn(join(dir, "prometheus-data"), settings);
    cleanups.push(() => prometheus.stop());
    const meridian = await startMeridianOn(join(dir, "meridian-data"), dir, settings);
    cleanups.push(async () => meridian.process.kill());
    const servers = [
      { name: "prometheus", url: prometheus.url },
      { name: "meridian", url: meridian.process.url },
    ] as const;

    const endMs = START_MS + s.hours * 3_600_000;
    const windows = dashboardWindows(endMs, RANGE_HOURS, s.hours, s.points, SCRAPE_INTERVAL_MS);
    const cells: Cell[] = PANEL_QUERIES.flatMap((q) =>
      windows.map((window): Cell => ({ query: q.name, expr: q.expr, window, prometheusMs: [], meridianMs: [], agreement: "", size: { series: 0, points: 0 } })),
    );

    log(`checking that both give the same answers (${cells.length} requests each)`);
    for (const c of cells) {
      const request = rangeRequest(c.expr, c.window);
      try {
        const p = await timeRequest(servers[0].url, request, REQUEST_TIMEOUT_MS);
        const m = await timeRequest(servers[1].url, request, REQUEST_TIMEOUT_MS);
        const diffs = compareAnswers(p.answer, m.answer);
        c.agreement = diffs.length === 0 ? "same" : `differs: ${diffs[0]}`;
        c.size = resultSize(p.answer);
      } catch (err) {
        c.failed = (err as Error).message.slice(0, 300);
        c.agreement = "failed";
        log(`not timed: ${c.failed}`);
      }
    }
    for (let round = 0; round < s.warmup + s.rounds; round++) {
      const timed = round >= s.warmup;
      log(`${timed ? "round" : "warm-up"} ${timed ? round - s.warmup + 1 : round + 1}`);
      for (const c of cells) {
        if (c.failed !== undefined) continue;
        const request = rangeRequest(c.expr, c.window);
        // Taking turns at going first evens out what one server's request leaves behind (caches, GC).
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) {
          const server = servers[i as 0 | 1];
          const { ms } = await timeRequest(server.url, request, REQUEST_TIMEOUT_MS);
          if (timed) (server.name === "prometheus" ? c.prometheusMs : c.meridianMs).push(ms);
        }
      }
    }

    const r2 = (x: number) => +x.toFixed(2);
    const rows = cells.map((c) => {
      const p = median(c.prometheusMs);
      const m = median(c.meridianMs);
      return {
        query: c.query,
        range: c.window.label,
        step: `${c.window.stepMs / 1000}s`,
        series: c.size.series,
        points: c.size.points,
        prometheusMedianMs: r2(p),
        meridianMedianMs: r2(m),
        ratio: r2(m / p),
        agreement: c.agreement,
        ...(c.failed === undefined ? {} : { failed: c.failed }),
        expr: c.expr,
      };
    });
    const timedRows = rows.filter((r) => Number.isFinite(r.ratio));
    const byRange = Object.fromEntries(windows.map((w) => [w.label, r2(geometricMean(timedRows.filter((r) => r.range === w.label).map((r) => r.ratio)))]));
    const flags = `--series ${s.series} --hours ${s.hours} --rounds ${s.rounds} --warmup ${s.warmup} --points ${s.points} --seed ${s.seed}`;
    const result = {
      settings: { ...s, cpus: cpus().length, node: process.version },
      data: { ...data, hours: s.hours, scrapeIntervalSeconds: SCRAPE_INTERVAL_MS / 1000 },
      notes: [
        "latency: median wall time of query_range from request to last byte of the answer, requests one at a time, the servers taking turns at going first",
        "ratio: meridian median / prometheus median (below 1: meridian faster); geometric means per range",
        "agreement: the answers compared as in the differential test before timing (labels exact, values within 1e-6)",
        `meridian engine flags missing: ${meridian.missingFlags.join(", ") || "none"}`,
      ],
      rows,
      geometricMeanRatioByRange: byRange,
      geometricMeanRatio: r2(geometricMean(timedRows.map((r) => r.ratio))),
      reproduce: `npm run build && node dist/bench/promql-vs-prometheus.js ${flags}`,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(
      textTable(
        ["query", "range", "step", "series", "prometheus ms", "meridian ms", "meridian/prometheus", "answers"],
        rows.map((r) => [r.query, r.range, r.step, String(r.series), r.prometheusMedianMs.toFixed(1), r.meridianMedianMs.toFixed(1), `×${r.ratio}`, r.agreement === "same" ? "same" : r.agreement === "failed" ? "FAILED" : "DIFFER"]),
      ),
    );
    console.log(`geometric mean meridian/prometheus: ×${result.geometricMeanRatio} (${Object.entries(byRange).map(([k, v]) => `${k} ×${v}`).join(", ")})`);
  } finally {
    await cleanup();
    log("cleaned up");
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

await main();
