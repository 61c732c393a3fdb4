// TSDB benchmark (issue 5): Meridian's TSDB side by side with a real Prometheus 2.42 in one run.
// 1. Bytes per sample on disk: one OpenMetrics file of node_exporter-like series (counters,
//    gauges, histogram buckets; see node-exporter-openmetrics.ts) is turned into blocks by real
//    `promtool tsdb create-blocks-from openmetrics` and by `meridian tsdb create-blocks-from
//    openmetrics`; block bytes (every file under the block dirs) / samples (meta.json numSamples).
// 2. Head memory per active series: Meridian's head in a child process (tsdb-head-child.ts)
//    appends `--rounds` scrapes of the synthetic exporter's series through the WAL; a real
//    Prometheus scrapes the same exporter until its head holds as many series and samples. RSS /
//    series for both (Prometheus' from /proc/<pid>/status; its head also holds ~5 report series
//    per target).
// 3. Append throughput (Meridian, samples/s on its one JS thread) and WAL replay: Meridian's reopen
//    of that head vs Prometheus restarted on its data dir, timed from spawn to /-/ready (its own
//    `total_replay_duration` log figure is printed too).
// Parts run one after another so that no two measured processes share the 2 cores.
//
// Run: npm run build && node dist/bench/tsdb-vs-prometheus.js [--file-series 10000] [--hours 24]
//      [--series 1000000] [--rounds 4] [--scrape-interval 10s] [--skip-disk] [--skip-head]
// Not part of `npm test`.
import { startExporter } from "./exporter-process.js";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { MERIDIAN_BIN } from "../test/e2e/meridian-process.js";
import { LOOPBACK, findBinary, freePort, pollUntil } from "../test/peers/index.js";
import { writeNodeExporterOpenMetrics } from "./node-exporter-openmetrics.js";

const HEAD_CHILD = fileURLToPath(new URL("./tsdb-head-child.js", import.meta.url));
const SERIES_PER_TARGET = 10_000;
const MiB = 1024 * 1024;
// An aligned 2 h boundary, so `--hours 2k` gives exactly k blocks in both tools.
const FILE_START_MS = 1_700_006_400_000;

/** Settings of one run. */
interface Settings {
  readonly fileSeries: number;
  readonly hours: number;
  readonly series: number;
  readonly rounds: number;
  readonly scrapeIntervalSeconds: number;
  readonly skipDisk: boolean;
  readonly skipHead: boolean;
}

function parseSettings(): Settings {
  const { values } = parseArgs({
    options: {
      "file-series": { type: "string", default: "10000" },
      hours: { type: "string", default: "24" },
      series: { type: "string", default: "1000000" },
      rounds: { type: "string", default: "4" },
      "scrape-interval": { type: "string", default: "10s" },
      "skip-disk": { type: "boolean", default: false },
      "skip-head": { type: "boolean", default: false },
    },
  });
  const s: Settings = {
    fileSeries: Number(values["file-series"]),
    hours: Number(values.hours),
    series: Number(values.series),
    rounds: Number(values.rounds),
    scrapeIntervalSeconds: Number(/^(\d+)s$/.exec(values["scrape-interval"])?.[1] ?? NaN),
    skipDisk: values["skip-disk"],
    skipHead: values["skip-head"],
  };
  for (const [k, v] of Object.entries(s)) if (typeof v === "number" && !(v > 0)) throw new Error(`--${k}: want a positive number`);
  return s;
}

/**
 * Runs a command to completion; rejects with its output when it fails. Resolves with wall seconds
 * and its peak RSS (VmHWM, read from /proc every 200 ms while it runs, so a peak in its last
 * 200 ms may be missed).
 */
async function run(cmd: string, args: readonly string[]): Promise<{ seconds: number; peakRssBytes: number }> {
  const start = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => (out = (out + b.toString()).slice(-8192)));
  child.stderr?.on("data", (b: Buffer) => (out = (out + b.toString()).slice(-8192)));
  let peakRssBytes = 0;
  const poll = setInterval(() => {
    memory(child.pid ?? -1).then(
      (m) => (peakRssBytes = Math.max(peakRssBytes, m.peak || 0)),
      () => undefined,
    );
  }, 200);
  try {
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${code}:\n${out}`);
  } finally {
    clearInterval(poll);
  }
  return { seconds: (performance.now() - start) / 1000, peakRssBytes };
}

async function treeBytes(path: string): Promise<number> {
  const st = await stat(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of await readdir(path)) total += await treeBytes(join(path, e));
  return total;
}

/** Total bytes and samples of the blocks (directories with a meta.json) in `dir`. */
async function blocksIn(dir: string): Promise<{ blocks: number; bytes: number; samples: number; series: number; chunks: number }> {
  const r = { blocks: 0, bytes: 0, samples: 0, series: 0, chunks: 0 };
  for (const e of await readdir(dir)) {
    const meta = await readFile(join(dir, e, "meta.json"), "utf8").catch(() => undefined);
    if (meta === undefined) continue;
    const stats = (JSON.parse(meta) as { stats: { numSamples: number; numSeries: number; numChunks: number } }).stats;
    r.blocks++;
    r.bytes += await treeBytes(join(dir, e));
    r.samples += stats.numSamples;
    r.series = Math.max(r.series, stats.numSeries);
    r.chunks += stats.numChunks;
  }
  return r;
}

async function diskBench(s: Settings, dir: string, log: (m: string) => void) {
  const file = join(dir, "node-exporter.om");
  const samplesPerSeries = Math.round((s.hours * 3600) / 15);
  log(`writing ${s.fileSeries} series × ${samplesPerSeries} samples to ${file}`);
  const writeStart = performance.now();
  const written = await writeNodeExporterOpenMetrics({ file, series: s.fileSeries, startMs: FILE_START_MS, samplesPerSeries, intervalMs: 15_000 });
  const writeSeconds = (performance.now() - writeStart) / 1000;
  const fileBytes = (await stat(file)).size;
  log(`promtool create-blocks-from (${Math.round(fileBytes / MiB)} MiB file)`);
  const prom = await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", file, join(dir, "promtool-blocks")]);
  log("meridian tsdb create-blocks-from");
  const mer = await run(process.execPath, [MERIDIAN_BIN, "tsdb", "create-blocks-from", "openmetrics", file, join(dir, "meridian-blocks")]);
  const [p, m] = await Promise.all([blocksIn(join(dir, "promtool-blocks")), blocksIn(join(dir, "meridian-blocks"))]);
  await rm(file, { force: true });
  const side = (b: typeof p, r: { seconds: number; peakRssBytes: number }) => ({
    ...b,
    bytesPerSample: +(b.bytes / b.samples).toFixed(4),
    backfillSeconds: +r.seconds.toFixed(1),
    peakRssMiB: Math.round(r.peakRssBytes / MiB),
  });
  return {
    samplesWritten: written,
    fileMiB: Math.round(fileBytes / MiB),
    fileWriteSeconds: +writeSeconds.toFixed(1),
    samplesPerSeries,
    prometheus: side(p, prom),
    meridian: side(m, mer),
  };
}

async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  if (await Promise.race([exited.then(() => false), sleep(graceMs, true, { ref: false })])) {
    child.kill("SIGKILL");
    await exited;
  }
}

/** A Prometheus on a data dir we own (the peer harness removes its dir on stop; a restart needs it). */
interface OwnedPrometheus {
  readonly child: ChildProcess;
  readonly url: string;
  readonly readySeconds: number;
  log(): string;
}

async function startPrometheusAt(dir: string): Promise<OwnedPrometheus> {
  const binary = findBinary("prometheus");
  if (!binary) throw new Error("prometheus not found on PATH");
  const port = await freePort();
  const start = performance.now();
  const child = spawn(binary, [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=${LOOPBACK}:${port}`], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const onData = (b: Buffer) => (log = (log + b.toString()).slice(-65_536));
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const url = `http://${LOOPBACK}:${port}`;
  await pollUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      await res?.arrayBuffer();
      return res?.ok === true;
    },
    { timeoutMs: 600_000, intervalMs: 20, what: "prometheus /-/ready" },
  );
  return { child, url, readySeconds: (performance.now() - start) / 1000, log: () => log };
}

async function gauge(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text);
  return Number(m?.[1] ?? 0);
}

async function headBench(s: Settings, dir: string, cleanups: (() => Promise<void>)[], log: (m: string) => void) {
  const targets = Math.ceil(s.series / SERIES_PER_TARGET);
  const perTarget = Math.ceil(s.series / targets);
  // A long refresh: every scrape in the run sees the same rendered body (values move per refresh).
  const exporter = await startExporter(targets, perTarget, 5000);
  cleanups.push(() => terminate(exporter.child, 5_000));
  const series = targets * perTarget;

  log(`meridian head: ${series} series × ${s.rounds} rounds`);
  const child = spawn(process.execPath, ["--expose-gc", HEAD_CHILD, "--dir", join(dir, "meridian-data"), "--targets", exporter.addresses.join(","), "--rounds", String(s.rounds)], { stdio: ["ignore", "pipe", "inherit"] });
  cleanups.push(() => terminate(child, 5_000));
  let out = "";
  child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`head child exited with ${code}`);
  const meridian = JSON.parse(out) as Record<string, number>;
  await rm(join(dir, "meridian-data"), { recursive: true, force: true });

  const promDir = join(dir, "prometheus");
  const interval = `${s.scrapeIntervalSeconds}s`;
  await mkdir(promDir, { recursive: true });
  await writeFile(
    join(promDir, "prometheus.yml"),
    stringify({ global: { scrape_interval: interval, scrape_timeout: interval }, scrape_configs: [{ job_name: "synthetic", static_configs: [{ targets: exporter.addresses }] }] }),
  );
  log(`prometheus: scraping ${series} series every ${interval} until its head holds ${s.rounds} samples of each`);
  let prom = await startPrometheusAt(promDir);
  cleanups.push(() => terminate(prom.child, 60_000));
  const reportSeries = targets * 5;
  const startupRss = (await memory(prom.child.pid ?? -1)).rss;
  await pollUntil(
    async () => {
      const [h, a] = await Promise.all([gauge(prom.url, "prometheus_tsdb_head_series"), gauge(prom.url, "prometheus_tsdb_head_samples_appended_total")]);
      return h >= series + reportSeries && a >= (series + reportSeries) * s.rounds;
    },
    { timeoutMs: 1_200_000, intervalMs: 1000, what: "prometheus head to fill" },
  );
  const headSeries = await gauge(prom.url, "prometheus_tsdb_head_series");
  const mem = await memory(prom.child.pid ?? -1);
  log("restarting prometheus on its data dir");
  await terminate(prom.child, 120_000);
  prom = await startPrometheusAt(promDir);
  cleanups.push(() => terminate(prom.child, 60_000));
  const replayLog = /total_replay_duration=(\S+)/.exec(prom.log())?.[1];
  const replayedSeries = await gauge(prom.url, "prometheus_tsdb_head_series");
  await terminate(prom.child, 60_000);

  const prometheus = {
    headSeries,
    rssBytes: mem.rss,
    peakRssBytes: mem.peak,
    rssAtStartupBytes: startupRss,
    rssBytesPerSeries: mem.rss / headSeries,
    headBytesPerSeries: (mem.rss - startupRss) / headSeries,
    restartToReadySeconds: prom.readySeconds,
    logTotalReplayDuration: replayLog,
    replayedSeries,
  };
  return { series, targets, meridian, prometheus };
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
    const dir = await mkdtemp(join(tmpdir(), "meridian-bench-tsdb-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const disk = s.skipDisk ? undefined : await diskBench(s, dir, log);
    const head = s.skipHead ? undefined : await headBench(s, dir, cleanups, log);
    const r2 = (x: number) => +x.toFixed(3);
    const ratios = {
      ...(disk ? { bytesPerSample: r2(disk.meridian.bytesPerSample / disk.prometheus.bytesPerSample) } : {}),
      ...(head
        ? {
            rssPerSeries: r2((head.meridian.rssBytesPerSeries as number) / head.prometheus.rssBytesPerSeries),
            headGrowthPerSeries: r2((head.meridian.headBytesPerSeries as number) / head.prometheus.headBytesPerSeries),
            replayVsRestartToReady: r2((head.meridian.replaySeconds as number) / head.prometheus.restartToReadySeconds),
          }
        : {}),
    };
    const flags = `--file-series ${s.fileSeries} --hours ${s.hours} --series ${s.series} --rounds ${s.rounds} --scrape-interval ${s.scrapeIntervalSeconds}s${s.skipDisk ? " --skip-disk" : ""}${s.skipHead ? " --skip-head" : ""}`;
    const result = {
      settings: { ...s, cpus: cpus().length, node: process.version },
      notes: [
        "disk: bytes = all files of the block dirs (index, chunks, meta.json, tombstones); samples from meta.json; the input file is streamed to disk, and both tools read it in one pass for the time range plus one per 2 h window; peak RSS polled from /proc (promtool maps the file, so its RSS includes mapped file pages)",
        "head: meridian rss after a full GC in a process holding only the parsed exposition and the TSDB; prometheus rss as read from /proc once its head holds every series × rounds; headGrowth subtracts each process' rss before it held series",
        "replay: meridian = TSDB.open in-process; prometheus = restart spawn to /-/ready on the same data dir",
      ],
      disk,
      head,
      ratios,
      reproduce: `npm run build && node dist/bench/tsdb-vs-prometheus.js ${flags}`,
    };
    console.log(JSON.stringify(result, null, 2));
    if (disk) {
      console.log(`meridian/prometheus bytes per sample: ${disk.meridian.bytesPerSample} / ${disk.prometheus.bytesPerSample} = ×${ratios.bytesPerSample} (goal ≤ 1.0)`);
      console.log(`backfill of a ${disk.fileMiB} MiB file: meridian ${disk.meridian.backfillSeconds} s, peak rss ${disk.meridian.peakRssMiB} MiB; promtool ${disk.prometheus.backfillSeconds} s, peak rss ${disk.prometheus.peakRssMiB} MiB`);
    }
    if (head) {
      console.log(`meridian/prometheus rss per series: ${Math.round(head.meridian.rssBytesPerSeries as number)} / ${Math.round(head.prometheus.rssBytesPerSeries)} B = ×${ratios.rssPerSeries} (goal ≤ 1.0)`);
      console.log(`meridian append: ${Math.round(head.meridian.steadySamplesPerSecond as number)} samples/s steady, ${Math.round(head.meridian.firstRoundSamplesPerSecond as number)} samples/s first round (series creation)`);
      console.log(`replay: meridian ${r2(head.meridian.replaySeconds as number)} s vs prometheus restart-to-ready ${r2(head.prometheus.restartToReadySeconds)} s = ×${ratios.replayVsRestartToReady}`);
    }
  } finally {
    await cleanup();
    log("cleaned up");
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

await main();
