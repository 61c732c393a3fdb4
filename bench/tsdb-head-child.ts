// Child process of bench/tsdb-vs-prometheus.ts: Meridian's head under measurement, alone in its
// process so its resident set is the head's. Fetches each synthetic exporter target's body once,
// parses it into the label sets Prometheus would store (job and instance added), then appends
// `--rounds` scrapes of every series through a TSDB (WAL on, fsync "never" as Prometheus), one
// commit per target as a scrape does. Reports RSS after a full GC, append throughput and CPU, then
// closes the TSDB and times reopening it (WAL replay). Prints one JSON line.
//
// Run with --expose-gc: node --expose-gc dist/bench/tsdb-head-child.js --dir D --targets A,B --rounds 4
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { createParser } from "../src/exposition/index.js";
import { Labels } from "../src/model/index.js";
import { silentLogger, systemClock } from "../src/runtime/index.js";
import { TSDB } from "../src/tsdb/index.js";

const SCRAPE_INTERVAL_MS = 15_000;

async function rssBytes(): Promise<{ rss: number; peak: number }> {
  const status = await readFile("/proc/self/status", "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
}

/** One target's series: label sets and their first values, in exposition order. */
interface TargetSeries {
  readonly labels: Labels[];
  readonly values: Float64Array;
}

async function fetchTarget(address: string): Promise<TargetSeries> {
  const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET ${address}/metrics: ${res.status}`);
  const p = createParser(new Uint8Array(await res.arrayBuffer()), "prometheus-text-0.0.4");
  const labels: Labels[] = [];
  const values: number[] = [];
  const target: [string, string][] = [["instance", address], ["job", "synthetic"]];
  for (let e = p.next(); e !== "eof"; e = p.next()) {
    if (e !== "series") continue;
    labels.push(Labels.fromPairs([...p.labels(), ...target]));
    values.push(p.value());
  }
  return { labels, values: Float64Array.from(values) };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { dir: { type: "string" }, targets: { type: "string" }, rounds: { type: "string", default: "4" } } });
  if (!args.dir || !args.targets) throw new Error("--dir and --targets are required");
  const rounds = Number(args.rounds);
  const targets = await Promise.all(args.targets.split(",").map(fetchTarget));
  const seriesCount = targets.reduce((n, t) => n + t.labels.length, 0);
  const opts = { dir: args.dir, logger: silentLogger(), clock: systemClock(), compaction: false };

  fullGc();
  const baseline = await rssBytes();
  const db = await TSDB.open(opts);
  // All rounds fall in one block range, so no head block is cut during the measurement.
  const t0 = Math.floor(Date.now() / 7_200_000) * 7_200_000;
  const refs = targets.map((t) => new Float64Array(t.labels.length));
  const roundSeconds: number[] = [];
  const roundCpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i] as TargetSeries;
      const ref = refs[i] as Float64Array;
      const app = db.appender();
      const ts = t0 + r * SCRAPE_INTERVAL_MS;
      for (let s = 0; s < t.labels.length; s++) ref[s] = app.append(ref[s] as number, t.labels[s] as Labels, ts, (t.values[s] as number) + r);
      await app.commit();
    }
    roundSeconds.push((performance.now() - start) / 1000);
    const cpu = process.cpuUsage(cpu0);
    roundCpu.push((cpu.user + cpu.system) / 1e6);
  }
  // The parsed exposition stays referenced (a scrape cache does the same); only the head's own
  // growth is charged in `headBytesPerSeries`, the whole process in `rssBytesPerSeries`.
  fullGc();
  const loaded = await rssBytes();
  const heap = process.memoryUsage();
  const stats = db.stats();
  await db.close();

  const replayStart = performance.now();
  const reopened = await TSDB.open(opts);
  const replaySeconds = (performance.now() - replayStart) / 1000;
  const replayed = reopened.stats();
  await reopened.close();

  const steady = roundSeconds.slice(1);
  const steadyCpu = roundCpu.slice(1);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  process.stdout.write(
    `${JSON.stringify({
      series: seriesCount,
      headSeries: stats.head.series,
      samplesAppended: seriesCount * rounds,
      rssBytes: loaded.rss,
      peakRssBytes: loaded.peak,
      rssBeforeOpenBytes: baseline.rss,
      heapUsedBytes: heap.heapUsed,
      arrayBuffersBytes: heap.arrayBuffers,
      rssBytesPerSeries: loaded.rss / seriesCount,
      headBytesPerSeries: (loaded.rss - baseline.rss) / seriesCount,
      firstRoundSamplesPerSecond: seriesCount / (roundSeconds[0] ?? NaN),
      steadySamplesPerSecond: (seriesCount * steady.length) / sum(steady),
      steadyCpuSecondsPerMillionSamples: (sum(steadyCpu) * 1e6) / (seriesCount * steady.length),
      roundSeconds,
      replaySeconds,
      replayedSeries: replayed.head.series,
      walRecordsReplayed: replayed.walRecordsReplayed,
    })}\n`,
  );
}

await main();
