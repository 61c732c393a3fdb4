// Steady-state ingest cost of the engine's write path in one process, without waiting for real
// scrape intervals: scrape loops (as the engine builds them) scrape the synthetic exporter over
// loopback into a TsdbService in a temp dir, round after round, with a manual clock moved by the
// scrape interval between rounds. The first rounds create the series; the measured rounds then
// report CPU seconds per million samples, heap and RSS. `--profile FILE` writes a V8 CPU profile
// of the measured rounds only and prints its hottest functions.
//
// The exporter runs in its own process (bench/synthetic-exporter), so its CPU is not counted.
// Rounds run back to back with every target scraped at once, which is harsher on the event loop
// than real 15 s intervals but charges the same work per sample.
//
// Run: npm run build && node dist/bench/ingest-steady.js [--targets 20] [--series 10000]
//      [--warmup 2] [--rounds 6] [--profile /tmp/steady.cpuprofile] [--heap-snapshot /tmp/h.heapsnapshot]
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, constants as perf, type PerformanceEntry } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { writeHeapSnapshot } from "node:v8";
import { Registry } from "prom-client";
import { TsdbService } from "../src/engine/tsdb-service.js";
import { ManualClock, silentLogger } from "../src/runtime/index.js";
import type { ScrapeLoop } from "../src/scrape/index.js";
import { loopFor, testDeps, testJob } from "../src/scrape/testing-targets.js";
import { summarizeCpuProfile } from "./cpu-profile-summary.js";
import { startExporter } from "./exporter-process.js";

const INTERVAL_MS = 15_000;
const T0 = 1_700_000_000_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      targets: { type: "string", default: "20" },
      series: { type: "string", default: "10000" },
      warmup: { type: "string", default: "2" },
      rounds: { type: "string", default: "6" },
      profile: { type: "string" },
      "heap-snapshot": { type: "string" },
    },
  });
  const targets = Number(values.targets);
  const series = Number(values.series);
  const warmup = Math.max(1, Number(values.warmup));
  const rounds = Number(values.rounds);
  const dir = await mkdtemp(join(tmpdir(), "meridian-ingest-steady-"));
  // Bodies change every 100 ms, so back-to-back rounds see new values as real scrapes would.
  const exporter = await startExporter(targets, series, 100);
  const clock = new ManualClock(T0);
  const tsdb = new TsdbService({ dir, logger: silentLogger(), clock, metrics: new Registry() });
  await tsdb.start(AbortSignal.timeout(60_000));
  const deps = testDeps(tsdb, clock);
  const job = testJob({ jobName: "synthetic" });
  const loops: ScrapeLoop[] = exporter.addresses.map((a) => loopFor(a, job, deps));
  const round = async () => {
    clock.advance(INTERVAL_MS);
    await Promise.all(loops.map((l) => l.scrapeOnce()));
    const down = loops.filter((l) => l.target.health !== "up");
    if (down.length > 0) throw new Error(`${down.length} targets down: ${down[0]?.target.lastError}`);
  };
  try {
    const created = performance.now();
    for (let r = 0; r < warmup; r++) await round();
    const createMs = performance.now() - created;
    const session = values.profile === undefined ? undefined : new Session();
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    // Pauses by GC kind over the measured rounds (main-thread pauses; concurrent marking is not in them).
    const gc = { minor: { count: 0, ms: 0 }, major: { count: 0, ms: 0 }, incremental: { count: 0, ms: 0 } };
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = ((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind;
        const k = kind === perf.NODE_PERFORMANCE_GC_MINOR ? "minor" : kind === perf.NODE_PERFORMANCE_GC_MAJOR ? "major" : "incremental";
        gc[k].count++;
        gc[k].ms += e.duration;
      }
    });
    observer.observe({ entryTypes: ["gc"] });
    const cpu0 = process.cpuUsage();
    const samples0 = deps.stats.samplesAppended;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) await round();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    observer.disconnect();
    const samples = deps.stats.samplesAppended - samples0;
    let hottest: unknown;
    if (session && values.profile !== undefined) {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      await writeFile(values.profile, JSON.stringify(profile));
      hottest = (await summarizeCpuProfile(values.profile, 30)).functions;
    }
    if (values["heap-snapshot"] !== undefined) writeHeapSnapshot(values["heap-snapshot"]);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const mem = process.memoryUsage();
    console.log(
      JSON.stringify(
        {
          targets,
          series: targets * series,
          warmupSeconds: +(createMs / 1000).toFixed(1),
          rounds,
          samples,
          cpuSeconds: +cpuSeconds.toFixed(2),
          cpuSecondsPerMillionSamples: +((cpuSeconds * 1e6) / Math.max(samples, 1)).toFixed(3),
          wallSecondsPerRound: +(wallMs / 1000 / rounds).toFixed(2),
          gcPauses: Object.fromEntries(Object.entries(gc).map(([k, v]) => [k, { count: v.count, ms: Math.round(v.ms) }])),
          heapUsedMiB: Math.round(mem.heapUsed / 2 ** 20),
          rssMiB: Math.round(mem.rss / 2 ** 20),
          ...(hottest === undefined ? {} : { hottest }),
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(loops.map((l) => l.stop(false)));
    await tsdb.stop();
    exporter.child.kill("SIGTERM");
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
