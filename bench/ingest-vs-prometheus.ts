// Ingest benchmark (issue 4): Meridian's engine and a real Prometheus 2.42 scrape the same 100
// synthetic targets × 10,000 series with the same prometheus.yml, side by side in one run. For
// each process: CPU seconds (utime+stime of /proc/<pid>/stat) and samples appended (its own
// counter at /metrics) over a measured window after a warm-up, CPU seconds per million samples,
// and peak (VmHWM) and final (VmRSS) resident memory. The exporter is a separate process, so its
// CPU is charged to neither.
//
// Both write their on-disk TSDB in a temp dir, which is their real cost: Prometheus its default
// (WAL, head chunks memory-mapped to disk), Meridian's engine its TSDB (the same WAL format, fsync
// only when a segment completes as Prometheus does, head chunks kept in memory).
//
// Run: npm run build && node dist/bench/ingest-vs-prometheus.js [--interval 15s] [--rounds 8]
//      [--warmup 2] [--targets 100] [--series 10000] [--profile] [--profile-out FILE]
// --profile starts Meridian with `node --cpu-prof` and prints its hottest functions (the
// profiler's own overhead is then part of Meridian's CPU figure); --profile-out also keeps the
// .cpuprofile at FILE (open it in Chrome DevTools). Not part of `npm test`.
import { startExporter } from "./exporter-process.js";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { MERIDIAN_BIN } from "../test/e2e/meridian-process.js";
import { LOOPBACK, freePort, startPrometheus } from "../test/peers/index.js";
import { summarizeCpuProfile, type ProfileSummary } from "./cpu-profile-summary.js";

// Linux reports utime/stime in clock ticks; USER_HZ is 100 on every architecture Node supports.
const CLOCK_TICKS_PER_SECOND = 100;

/** Settings of one run. */
interface Settings {
  readonly intervalSeconds: number;
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly targets: number;
  readonly series: number;
  readonly profile: boolean;
  readonly profileOut: string | undefined;
}

/** A process under measurement: where to read its counter and how to find its /proc entry. */
interface Measured {
  readonly name: "meridian" | "prometheus";
  readonly pid: number;
  readonly url: string;
  readonly samplesCounter: string;
}

/** What one snapshot of a measured process holds. */
interface Snapshot {
  readonly cpuSeconds: number;
  readonly samples: number;
  readonly atMs: number;
}

function parseSettings(): Settings {
  const { values } = parseArgs({
    options: {
      interval: { type: "string", default: "15s" },
      rounds: { type: "string", default: "8" },
      warmup: { type: "string", default: "2" },
      targets: { type: "string", default: "100" },
      series: { type: "string", default: "10000" },
      profile: { type: "boolean", default: false },
      "profile-out": { type: "string" },
    },
  });
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(values.interval);
  if (!m) throw new Error(`--interval: want a duration such as 15s, got ${values.interval}`);
  const unit = m[2] === "ms" ? 0.001 : m[2] === "m" ? 60 : 1;
  const settings = {
    intervalSeconds: Number(m[1]) * unit,
    rounds: Number(values.rounds),
    warmupRounds: Number(values.warmup),
    targets: Number(values.targets),
    series: Number(values.series),
    profile: values.profile || values["profile-out"] !== undefined,
    profileOut: values["profile-out"],
  };
  for (const [k, v] of Object.entries(settings)) if (typeof v === "number" && !(v >= 0)) throw new Error(`--${k}: not a number`);
  return settings;
}

function prometheusYml(s: Settings, addresses: readonly string[]): string {
  const interval = `${s.intervalSeconds}s`;
  return stringify({
    global: { scrape_interval: interval, scrape_timeout: `${Math.min(10, s.intervalSeconds)}s` },
    scrape_configs: [{ job_name: "synthetic", static_configs: [{ targets: addresses, labels: { env: "bench" } }] }],
  });
}

/** utime+stime of `pid` (all its threads), in seconds. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesized command name start at field 3 (state); utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** VmRSS and VmHWM (peak RSS) of `pid`, in bytes. */
async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/**
 * Sum of every series of counter `name` in the exposition at `url`/metrics; undefined while it is
 * absent (Prometheus exposes its labelled counter only after the first append).
 */
async function readCounter(url: string, name: string): Promise<number | undefined> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}/metrics: ${res.status}`);
  let sum = 0;
  let found = false;
  for (const line of text.split("\n")) {
    if (line.startsWith(name) && (line[name.length] === " " || line[name.length] === "{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
      found = true;
    }
  }
  return found ? sum : undefined;
}

async function snapshot(p: Measured): Promise<Snapshot> {
  // CPU is read once the counter arrived: a busy engine answers /metrics late, and both figures
  // must describe the same moment.
  const samples = await readCounter(p.url, p.samplesCounter);
  if (samples === undefined) throw new Error(`${p.url}/metrics has no ${p.samplesCounter}`);
  return { cpuSeconds: await cpuSeconds(p.pid), samples, atMs: performance.now() };
}

/** Resolves once every process appended its first samples (Prometheus waits ~5 s for discovery). */
async function firstSamples(processes: readonly Measured[], alive: () => void): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (const p of processes) {
    while (!((await readCounter(p.url, p.samplesCounter)) ?? 0)) {
      alive();
      if (performance.now() > deadline) throw new Error(`${p.name} appended no samples within 120 s`);
      await sleep(250);
    }
  }
}

/** Health and mean last scrape duration of the process' targets, from /api/v1/targets. */
async function targetHealth(url: string): Promise<{ up: number; down: number; meanScrapeSeconds: number; errors: string[] }> {
  const res = await fetch(`${url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { data: { activeTargets: { health: string; lastError: string; lastScrapeDuration: number }[] } };
  const targets = body.data.activeTargets;
  const up = targets.filter((t) => t.health === "up").length;
  const mean = targets.reduce((s, t) => s + t.lastScrapeDuration, 0) / Math.max(targets.length, 1);
  return { up, down: targets.length - up, meanScrapeSeconds: +mean.toFixed(3), errors: [...new Set(targets.map((t) => t.lastError).filter((e) => e !== ""))].slice(0, 3) };
}

/** A running engine: its process, its base URL and what it printed so far. */
interface EngineProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

/** Spawns `node <nodeArgs> meridian <args>` and resolves once it printed "running at URL". */
async function startEngineProcess(nodeArgs: readonly string[], args: readonly string[]): Promise<EngineProcess> {
  const child = spawn(process.execPath, [...nodeArgs, MERIDIAN_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`meridian did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (b: Buffer) => {
      // Only the tail is kept: it is shown when the engine dies.
      output = (output + b.toString()).slice(-16_384);
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`meridian exited with ${code ?? signal} before it was ready:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timedOut = sleep(graceMs, true, { ref: false });
  if (await Promise.race([exited.then(() => false), timedOut])) {
    child.kill("SIGKILL");
    await exited;
  }
}

const MiB = 1024 * 1024;

function figures(name: string, a: Snapshot, b: Snapshot, mem: { rss: number; peak: number }, windowPeakRss: number) {
  const cpu = b.cpuSeconds - a.cpuSeconds;
  const samples = b.samples - a.samples;
  return {
    name,
    windowSeconds: +((b.atMs - a.atMs) / 1000).toFixed(1),
    cpuSeconds: +cpu.toFixed(2),
    cpuCoresAverage: +(cpu / ((b.atMs - a.atMs) / 1000)).toFixed(3),
    samplesAppended: samples,
    samplesPerSecond: Math.round(samples / ((b.atMs - a.atMs) / 1000)),
    cpuSecondsPerMillionSamples: +((cpu * 1e6) / Math.max(samples, 1)).toFixed(3),
    peakRssMiB: Math.round(mem.peak / MiB),
    windowPeakRssMiB: Math.round(windowPeakRss / MiB),
    finalRssMiB: Math.round(mem.rss / MiB),
  };
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
    const dir = await mkdtemp(join(tmpdir(), "meridian-bench-ingest-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const exporter = await startExporter(s.targets, s.series, s.intervalSeconds * 1000);
    cleanups.push(() => terminate(exporter.child, 5_000));
    const yml = prometheusYml(s, exporter.addresses);
    const configFile = join(dir, "prometheus.yml");
    await writeFile(configFile, yml);
    const profileDir = join(dir, "profile");

    const listen = `${LOOPBACK}:${await freePort()}`;
    // --cpu-prof is refused in NODE_OPTIONS, so the engine is spawned here with node flags.
    const startEngine = () =>
      startEngineProcess(s.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [], ["engine", "--config", configFile, "--listen", listen, "--data-dir", join(dir, "meridian-data")]);
    // Each process' stop is registered as soon as it runs, so a failed start of the other one
    // does not leave it behind.
    const startingPrometheus = startPrometheus({ config: yml, readyTimeoutMs: 60_000, stopTimeoutMs: 30_000 }).then((peer) => {
      cleanups.push(async () => {
        log("stopping prometheus");
        await peer.stop();
      });
      return peer;
    });
    const startingMeridian = startEngine().then((engine) => {
      // SIGTERM, so that --cpu-prof writes its profile on the way out.
      cleanups.push(async () => {
        log("stopping meridian");
        await terminate(engine.child, 60_000);
      });
      return engine;
    });
    const [started1, started2] = await Promise.allSettled([startingPrometheus, startingMeridian]);
    if (started1.status === "rejected") throw started1.reason;
    if (started2.status === "rejected") throw started2.reason;
    const prometheus = started1.value;
    const meridian = started2.value;

    const measured: Measured[] = [
      { name: "meridian", pid: meridian.child.pid ?? -1, url: meridian.url, samplesCounter: "meridian_scrape_samples_appended_total" },
      { name: "prometheus", pid: prometheus.pid, url: prometheus.url, samplesCounter: "prometheus_tsdb_head_samples_appended_total" },
    ];
    const alive = () => {
      if (meridian.child.exitCode !== null || meridian.child.signalCode !== null) throw new Error(`meridian exited (${meridian.child.exitCode ?? meridian.child.signalCode}):\n${meridian.output().slice(-4000)}`);
    };
    const windowPeak = new Map<string, number>(measured.map((p) => [p.name, 0]));
    let inWindow = false;
    const sampler = setInterval(() => {
      if (!inWindow) return;
      for (const p of measured) void memory(p.pid).then((m) => windowPeak.set(p.name, Math.max(windowPeak.get(p.name) ?? 0, m.rss)), () => undefined);
    }, 500);
    cleanups.push(async () => clearInterval(sampler));

    const intervalMs = s.intervalSeconds * 1000;
    await firstSamples(measured, alive);
    log(`both ingest; warming up for ${s.warmupRounds} × ${s.intervalSeconds}s, then measuring ${s.rounds} × ${s.intervalSeconds}s`);
    await sleep(s.warmupRounds * intervalMs);
    alive();
    const exporterCpu0 = await cpuSeconds(exporter.child.pid ?? -1);
    const start = await Promise.all(measured.map(snapshot));
    inWindow = true;
    for (let r = 0; r < s.rounds; r++) {
      await sleep(intervalMs);
      alive();
    }
    const end = await Promise.all(measured.map(snapshot));
    inWindow = false;
    const exporterCpu = (await cpuSeconds(exporter.child.pid ?? -1)) - exporterCpu0;
    const mems = await Promise.all(measured.map((p) => memory(p.pid)));
    const health = await Promise.all(measured.map((p) => targetHealth(p.url)));
    const [m, p] = measured.map((proc, i) => ({ ...figures(proc.name, start[i] as Snapshot, end[i] as Snapshot, mems[i] as { rss: number; peak: number }, windowPeak.get(proc.name) ?? 0), targets: health[i] }));
    if (!m || !p) throw new Error("unreachable: two processes measured");

    let profile: ProfileSummary | undefined;
    if (s.profile) {
      await terminate(meridian.child, 60_000);
      const file = (await readdir(profileDir)).find((f) => f.endsWith(".cpuprofile"));
      if (file) profile = await summarizeCpuProfile(join(profileDir, file), 25);
      if (file && s.profileOut !== undefined) await copyFile(join(profileDir, file), s.profileOut);
    }

    const expectedPerRound = s.targets * s.series;
    const result = {
      settings: { ...s, scrapeInterval: `${s.intervalSeconds}s`, samplesPerRoundExpected: expectedPerRound, cpus: cpus().length, node: process.version },
      notes: [
        "prometheus: real 2.42 with its default on-disk TSDB (WAL + head chunks) in a temp dir; its counter also counts the 5 report series per target",
        "meridian: engine with its TSDB in a temp dir (Prometheus-format WAL, fsync at segment end as Prometheus; head chunks in memory, not memory-mapped)",
        "cpu = utime+stime of the process (all threads) during the window; peakRss = VmHWM over the process' life, windowPeakRss = max VmRSS polled every 500 ms in the window",
        ...(s.profile ? ["meridian ran under --cpu-prof: its CPU figure includes the profiler's overhead"] : []),
      ],
      meridian: { ...m, roundsIngested: +(m.samplesAppended / expectedPerRound).toFixed(2) },
      prometheus: { ...p, roundsIngested: +(p.samplesAppended / expectedPerRound).toFixed(2) },
      exporterCpuSeconds: +exporterCpu.toFixed(2),
      ratios: {
        cpuPerSample: +(m.cpuSecondsPerMillionSamples / p.cpuSecondsPerMillionSamples).toFixed(2),
        peakRss: +(m.peakRssMiB / p.peakRssMiB).toFixed(2),
        finalRss: +(m.finalRssMiB / p.finalRssMiB).toFixed(2),
      },
      ...(profile ? { meridianProfile: profile } : {}),
      reproduce: `npm run build && node dist/bench/ingest-vs-prometheus.js --interval ${s.intervalSeconds}s --rounds ${s.rounds} --warmup ${s.warmupRounds} --targets ${s.targets} --series ${s.series}${s.profile ? " --profile" : ""}`,
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`meridian/prometheus: cpu per sample ×${result.ratios.cpuPerSample}, peak rss ×${result.ratios.peakRss}, final rss ×${result.ratios.finalRss}`);
  } finally {
    await cleanup();
    log("cleaned up");
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

await main();
