// A deterministic, scrape-like data set for comparing PromQL engines: targets of four jobs, each
// exposing counters (with resets), gauges and classic histograms, scraped every 15 s at jittered,
// non-aligned times, with failed scrapes, restarts, late joiners, leavers, gaps and stale markers
// written the way Prometheus' scrape loop writes them.
//
// Invariants the PromQL comparison relies on (see promql-differential.test.ts):
// - No sample lies on a whole second (`t % 1000 !== 0`), so no whole-second range or lookback
//   boundary ever meets a sample, and Prometheus 2's left-closed windows select what Prometheus
//   3's left-open ones select.
// - A counter's first sample is 0 when the counter is new (a series that appears, a restart, a
//   target that joins late) and at least 1000 of its largest per-scrape increments at the start
//   of the data. Prometheus 2.51 (#13725) changed how rate() combines "extrapolate at most half
//   an interval" with "not below the counter's zero point"; the two orders agree unless the
//   zero point lies between half and 1.1 average intervals before the first sample in the
//   window while the window starts more than 1.1 intervals before it. A first raw sample of 0
//   or of a large value rules that out; a subquery's points can land on the small second value
//   after a restart, so rate() over subqueries is only used on steady targets (queries.ts).
// - Every generated value is a function of the seed, the target and the scrape slot, so one
//   series can be re-generated alone (no state shared between series).
import { Labels } from "../../../src/model/index.js";
import { staleNaN, type SampleIterator, type Series } from "../../../src/storage/index.js";
import { SeededRandom, keyOf, noise } from "./random.js";

/** Time between two scrapes of a target (ms). */
export const SCRAPE_INTERVAL_MS = 15_000;

/** The jobs, round-robin over the targets, and the port in their instance label. */
export const JOBS = [
  { name: "api", port: 8080 },
  { name: "db", port: 9187 },
  { name: "worker", port: 9100 },
  { name: "cache", port: 9121 },
] as const;

/** Handlers of the HTTP metrics, with the bucket index around which their latencies cluster. */
export const HANDLERS = [
  { path: "/", peak: 2 },
  { path: "/api/v1/query", peak: 5 },
  { path: "/login", peak: 7 },
] as const;

/** Upper bounds of the classic histogram buckets, as client libraries spell them. */
export const BUCKET_BOUNDS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"] as const;

/** What the data set is made of. */
export interface DatasetOptions {
  readonly seed: number;
  /** Start of the first scrape slot (ms); samples fall at start + phase + k × 15 s ± 200 ms. */
  readonly startMs: number;
  /** Length of the data (ms). */
  readonly durationMs: number;
  /** Number of scrape targets, spread round-robin over JOBS. */
  readonly targets: number;
}

/** The life of one target over scrape slots 0 … slots-1. */
export interface TargetPlan {
  readonly index: number;
  readonly job: string;
  readonly instance: string;
  /** Offset of its scrapes within the interval (ms). */
  readonly phaseMs: number;
  /** First slot it is scraped in (0, or later for a target that joins late). */
  readonly first: number;
  /** Slot at which it is removed (stale markers for all its series), or `slots` if never. */
  readonly end: number;
  /** Failed scrapes [from, to): `up` is 0, every other series gets a stale marker at `from`. */
  readonly down: { readonly from: number; readonly to: number } | undefined;
  /** Slots whose samples come from a new process: counters start again at 0. */
  readonly restarts: readonly number[];
}

/** A generated data set: its targets' plans and its series (each iterable any number of times). */
export interface Dataset {
  readonly options: DatasetOptions;
  readonly slots: number;
  readonly targets: readonly TargetPlan[];
  readonly series: readonly Series[];
  /** Time (ms) of the sample `target` has in `slot`. */
  timeOf(target: TargetPlan, slot: number): number;
}

// How a value function is called for a series' sample.
const CONTINUE = 0;
const DATA_START = 1;
const FRESH = 2;
type StartKind = typeof CONTINUE | typeof DATA_START | typeof FRESH;
type ValueFn = (slot: number, start: StartKind, t: number) => number;

interface Gap {
  readonly from: number;
  readonly to: number;
  /** Whether the series gets a stale marker when the gap starts (it vanished from the scrape). */
  readonly stale: boolean;
}

interface SeriesPlan {
  readonly labels: Labels;
  readonly target: TargetPlan;
  /** The `up` series: 0 while the target is down rather than stale. */
  readonly isUp?: boolean;
  /** First slot the series is exposed in (a new series: counters start at 0). */
  readonly from?: number;
  /** Slot at which the series stops being exposed (stale marker there). */
  readonly until?: number;
  readonly gaps?: readonly Gap[];
  /** Makes the value function, with fresh state, for one pass over the series. */
  readonly values: () => ValueFn;
}

/** Builds the data set; cheap, since samples are generated only when a series is iterated. */
export function buildDataset(options: DatasetOptions): Dataset {
  const slots = Math.floor(options.durationMs / SCRAPE_INTERVAL_MS);
  const targets = planTargets(options, slots);
  const timeOf = (target: TargetPlan, slot: number): number => {
    const jitter = Math.floor(noise(options.seed, target.index * 7919 + 1, slot) * 401) - 200;
    const t = options.startMs + target.phaseMs + slot * SCRAPE_INTERVAL_MS + jitter;
    return t % 1000 === 0 ? t + 1 : t;
  };
  const plans: SeriesPlan[] = [];
  for (const target of targets) plans.push(...seriesOf(options.seed, target, slots, options.startMs));
  const series = plans.map((plan): Series => ({ labels: plan.labels, iterator: () => new PlannedIterator(plan, slots, timeOf) }));
  return { options, slots, targets, series, timeOf };
}

function planTargets(options: DatasetOptions, slots: number): TargetPlan[] {
  const out: TargetPlan[] = [];
  const perJob = new Map<string, number>();
  for (let i = 0; i < options.targets; i++) {
    const rnd = new SeededRandom(options.seed * 1_000_003 + i);
    const job = JOBS[i % JOBS.length] as (typeof JOBS)[number];
    const k = perJob.get(job.name) ?? 0;
    perJob.set(job.name, k + 1);
    const first = i % 7 === 5 ? rnd.int(Math.floor(slots * 0.1), Math.floor(slots * 0.25)) : 0;
    const end = i % 11 === 9 ? rnd.int(Math.floor(slots * 0.7), Math.floor(slots * 0.85)) : slots;
    let down: TargetPlan["down"];
    const restarts: number[] = [];
    if (i % 3 === 1) {
      const from = rnd.int(Math.max(first + 20, Math.floor(slots * 0.3)), Math.floor(slots * 0.75));
      // 8 to 30 failed scrapes: some shorter than the 5 m lookback, so only the stale markers end the series.
      const to = Math.min(from + rnd.int(8, 30), end - 5);
      if (to > from) {
        down = { from, to };
        if (rnd.next() < 0.6) restarts.push(to);
      }
    }
    if (i % 5 === 2) {
      const at = rnd.int(Math.max(first + 10, Math.floor(slots * 0.2)), Math.floor(slots * 0.6));
      if (down === undefined || at < down.from || at >= down.to) restarts.push(at);
    }
    restarts.sort((a, b) => a - b);
    out.push({ index: i, job: job.name, instance: `${job.name}-${k}:${job.port}`, phaseMs: rnd.int(300, 14_700), first, end, down, restarts });
  }
  return out;
}

/** A counter: `init` at the start of the data, 0 when fresh, then growing by `inc(slot)`. */
function counter(init: number, inc: (slot: number) => number): () => ValueFn {
  return () => {
    let sum = 0;
    return (slot, start) => {
      if (start === DATA_START) sum = init;
      else if (start === FRESH) sum = 0;
      else sum += inc(slot);
      return sum;
    };
  };
}

function gauge(fn: (slot: number) => number): () => ValueFn {
  return () => (slot) => fn(slot);
}

function seriesOf(seed: number, target: TargetPlan, slots: number, startMs: number): SeriesPlan[] {
  const base = { job: target.job, instance: target.instance };
  const rnd = new SeededRandom(seed * 7_777_777 + target.index);
  const out: SeriesPlan[] = [];
  const add = (labels: Record<string, string>, values: () => ValueFn, extra: Partial<SeriesPlan> = {}) =>
    out.push({ labels: Labels.fromRecord({ ...base, ...labels }), target, values, ...extra });
  // Each series' noise is keyed by the seed, the target and its own label values.
  const key = (...parts: string[]) => keyOf(`${seed}/${target.index}/${parts.join("/")}`);
  // The value at the start of the data: that of a long-running process.
  const startValue = (maxInc: number) => maxInc * (1000 + rnd.int(0, 100_000));

  add({ __name__: "up" }, gauge(() => 1), { isUp: true });

  for (const handler of HANDLERS) {
    for (const method of ["GET", "POST", "DELETE"]) {
      for (const code of ["200", "404", "500"]) {
        const mean = (handler.peak === 5 ? 40 : 12) * (method === "GET" ? 1 : 0.4) * (code === "200" ? 1 : code === "404" ? 0.2 : 0.08);
        const maxInc = Math.max(1, Math.floor(2 * mean));
        const k = key("req", handler.path, method, code);
        const late = code === "500" && method === "DELETE" ? { from: rnd.int(Math.floor(slots * 0.3), Math.floor(slots * 0.55)) } : {};
        add(
          { __name__: "http_requests_total", handler: handler.path, method, code },
          counter(startValue(maxInc), (s) => 1 + Math.floor(noise(k, s) * maxInc)),
          late,
        );
      }
    }
    out.push(...histogram(target, base, handler, key("hist", handler.path), rnd));
  }

  const shares = { idle: 0.7, user: 0.15, system: 0.08, iowait: 0.05, irq: 0.02 };
  for (let cpu = 0; cpu < 4; cpu++) {
    for (const [mode, share] of Object.entries(shares)) {
      const k = key("cpu", String(cpu), mode);
      const maxInc = (SCRAPE_INTERVAL_MS / 1000) * share * 1.5;
      add({ __name__: "node_cpu_seconds_total", cpu: String(cpu), mode }, counter(startValue(maxInc), (s) => (SCRAPE_INTERVAL_MS / 1000) * share * (0.5 + noise(k, s))));
    }
  }

  const total = 2 ** (33 + (target.index % 3));
  add({ __name__: "node_memory_MemTotal_bytes" }, gauge(() => total));
  const memKey = key("mem");
  const memPeriod = rnd.int(150, 400);
  const memPhase = rnd.next() * 2 * Math.PI;
  add(
    { __name__: "node_memory_MemAvailable_bytes" },
    gauge((s) => total * (0.35 + 0.25 * Math.sin((2 * Math.PI * s) / memPeriod + memPhase) + 0.1 * noise(memKey, s))),
  );

  for (let sensor = 0; sensor < 8; sensor++) {
    const k = key("temp", String(sensor));
    const offset = sensor % 3 === 0 ? -40 : 30;
    const period = rnd.int(60, 500);
    const phase = rnd.next() * 2 * Math.PI;
    // Sensor 7 stops reporting for 8 minutes without going stale: the lookback runs out.
    const gapFrom = rnd.int(Math.floor(slots * 0.4), Math.floor(slots * 0.7));
    const extra: Partial<SeriesPlan> = sensor === 7 ? { gaps: [{ from: gapFrom, to: gapFrom + 32, stale: false }] } : {};
    add({ __name__: "temperature_celsius", sensor: String(sensor) }, gauge((s) => offset + 25 * Math.sin((2 * Math.PI * s) / period + phase) + 3 * (noise(k, s) - 0.5)), extra);
  }

  if (target.job === "worker") {
    for (let q = 0; q < 50; q++) {
      const k = key("queue", String(q));
      const period = rnd.int(40, 300);
      add({ __name__: "queue_length", queue: `q${String(q).padStart(2, "0")}` }, gauge((s) => Math.max(0, Math.floor(40 + 40 * Math.sin((2 * Math.PI * s) / period + q) + 20 * noise(k, s)))));
    }
  }

  // Many series per target that few queries touch: cardinality at little cost per query.
  for (let shard = 0; shard < 64; shard++) {
    const k = key("cache", String(shard));
    const period = rnd.int(100, 700);
    add({ __name__: "app_cache_entries", shard: String(shard).padStart(3, "0") }, gauge((s) => 500 + 400 * Math.sin((2 * Math.PI * s) / period + shard) + 50 * noise(k, s)));
  }

  const uptime = rnd.int(3600, 90 * 86400) + rnd.int(1, 999) / 1000;
  add(
    { __name__: "process_start_time_seconds" },
    () => {
      let started = 0;
      return (_slot, start, t) => {
        if (start === DATA_START) started = startMs / 1000 - uptime;
        else if (start === FRESH) started = (t - 1234) / 1000;
        return started;
      };
    },
  );

  const version = { api: "2.7.1", db: "14.5", worker: "0.9.3", cache: "7.0.11" }[target.job] ?? "1.0";
  const upgrade = target.restarts[0];
  if (upgrade === undefined) add({ __name__: "build_info", version }, gauge(() => 1));
  else {
    add({ __name__: "build_info", version }, gauge(() => 1), { until: upgrade });
    add({ __name__: "build_info", version: `${version}-next` }, gauge(() => 1), { from: upgrade });
  }

  for (const device of ["sda", "sdb"]) {
    for (const direction of ["read", "write"]) {
      const k = key("disk", device, direction);
      const scale = (direction === "read" ? 4e6 : 1.5e6) * (device === "sda" ? 1 : 0.3);
      add({ __name__: "disk_io_bytes_total", device, direction }, counter(startValue(scale), (s) => scale * noise(k, s)));
    }
  }

  // Exposed only now and then: each disappearance writes a stale marker.
  const flapKey = key("flap");
  const gaps: Gap[] = [];
  for (let from = rnd.int(20, 120); from < slots - 10; from += rnd.int(60, 240)) {
    const to = Math.min(slots, from + rnd.int(3, 40));
    gaps.push({ from, to, stale: true });
    from = to;
  }
  add({ __name__: "flapping_gauge" }, gauge((s) => 100 * noise(flapKey, s)), { gaps });

  if (target.index === 0) {
    const exotic: Record<string, (s: number) => number> = {
      nan: () => NaN,
      inf: () => Infinity,
      neg_inf: () => -Infinity,
      neg_zero: () => -0,
      huge: (s) => 1.7e308 * (0.5 + (s % 7) / 14),
      tiny: (s) => 5e-324 * (1 + (s % 5)),
      mixed: (s) => [1, NaN, Infinity, -Infinity, -1, 0, 2.5][s % 7] as number,
    };
    for (const [kind, fn] of Object.entries(exotic)) add({ __name__: "exotic_values", kind }, gauge(fn));
    // Label values that need escaping in PromQL and JSON, and characters beyond the BMP.
    add({ __name__: "exotic_values", kind: "unicode", unit: "°C ✓ \u{1F600}" }, gauge((s) => s % 3));
    add({ __name__: "exotic_values", kind: 'quote"and\\backslash' }, gauge((s) => s % 5));
  }
  return out;
}

function histogram(target: TargetPlan, base: Record<string, string>, handler: (typeof HANDLERS)[number], k: number, rnd: SeededRandom): SeriesPlan[] {
  const weights = BUCKET_BOUNDS.map((_, b) => (b === BUCKET_BOUNDS.length - 1 ? 0.01 : Math.exp(-((b - handler.peak) ** 2) / 4) + 0.01));
  // A representative observed value per bucket, for `_sum`.
  const reps = BUCKET_BOUNDS.map((le, b) => (le === "+Inf" ? 15 : b === 0 ? 0.003 : (Number(le) + Number(BUCKET_BOUNDS[b - 1])) / 2));
  const load = 4 + rnd.int(0, 8);
  const observations = (s: number, b: number) => Math.floor(noise(k, s, b) * 2 * (weights[b] as number) * load);
  const scale = 5000 + rnd.int(0, 50_000);
  const out: SeriesPlan[] = [];
  const labels = (name: string, extra: Record<string, string> = {}) => Labels.fromRecord({ ...base, __name__: name, handler: handler.path, ...extra });
  let cumWeight = 0;
  BUCKET_BOUNDS.forEach((le, j) => {
    cumWeight += weights[j] as number;
    const init = Math.floor(scale * cumWeight);
    out.push({
      labels: labels("http_request_duration_seconds_bucket", { le }),
      target,
      values: counter(init, (s) => {
        let n = 0;
        for (let b = 0; b <= j; b++) n += observations(s, b);
        return n;
      }),
    });
  });
  out.push({
    labels: labels("http_request_duration_seconds_count"),
    target,
    values: counter(Math.floor(scale * cumWeight), (s) => {
      let n = 0;
      for (let b = 0; b < BUCKET_BOUNDS.length; b++) n += observations(s, b);
      return n;
    }),
  });
  const sumInit = scale * weights.reduce((acc, w, b) => acc + w * (reps[b] as number), 0);
  out.push({
    labels: labels("http_request_duration_seconds_sum"),
    target,
    values: counter(sumInit, (s) => {
      let v = 0;
      for (let b = 0; b < BUCKET_BOUNDS.length; b++) v += observations(s, b) * (reps[b] as number) * (0.9 + 0.2 * noise(k, s, b + 100));
      return v;
    }),
  });
  return out;
}

// Held in a typed array: a NaN payload survives there, where a plain array may canonicalise it.
const STALE = Float64Array.of(staleNaN());

/** Walks one series' plan slot by slot, emitting values, stale markers, or nothing. */
class PlannedIterator implements SampleIterator {
  readonly #plan: SeriesPlan;
  readonly #slots: number;
  readonly #timeOf: (target: TargetPlan, slot: number) => number;
  readonly #value: ValueFn;
  #slot = -1;
  #t = 0;
  #v = 0;
  #lastWasValue = false;
  #emittedValue = false;
  #epoch = 0;
  #done = false;

  constructor(plan: SeriesPlan, slots: number, timeOf: (target: TargetPlan, slot: number) => number) {
    this.#plan = plan;
    this.#slots = slots;
    this.#timeOf = timeOf;
    this.#value = plan.values();
  }

  next(): boolean {
    while (!this.#done) {
      const s = ++this.#slot;
      if (s >= this.#slots) break;
      const step = this.#stepAt(s);
      if (step === "end") break;
      if (step === "skip") continue;
      this.#t = this.#timeOf(this.#plan.target, s);
      if (step === "stale") {
        this.#v = STALE[0] as number;
        this.#lastWasValue = false;
      } else if (step === "zero") {
        this.#v = 0;
        this.#lastWasValue = true;
      } else {
        this.#v = this.#nextValue(s);
        this.#lastWasValue = true;
      }
      return true;
    }
    this.#done = true;
    return false;
  }

  seek(t: number): boolean {
    if (this.#slot >= 0 && !this.#done && this.#t >= t) return true;
    while (this.next()) if (this.#t >= t) return true;
    return false;
  }

  at(): number {
    return this.#t;
  }

  value(): number {
    return this.#v;
  }

  #stepAt(s: number): "skip" | "stale" | "zero" | "value" | "end" {
    const p = this.#plan;
    const target = p.target;
    const staleOnce = () => (this.#lastWasValue ? "stale" : "skip");
    if (s < target.first) return "skip";
    if (s >= target.end) return s === target.end && this.#lastWasValue ? "stale" : "end";
    if (target.down !== undefined && s >= target.down.from && s < target.down.to) return p.isUp ? "zero" : staleOnce();
    if (p.from !== undefined && s < p.from) return "skip";
    if (p.until !== undefined && s >= p.until) return s === p.until && this.#lastWasValue ? "stale" : "end";
    for (const g of p.gaps ?? []) if (s >= g.from && s < g.to) return g.stale ? staleOnce() : "skip";
    return "value";
  }

  #nextValue(s: number): number {
    const restarts = this.#plan.target.restarts;
    let epoch = 0;
    while (epoch < restarts.length && (restarts[epoch] as number) <= s) epoch++;
    let start: StartKind = CONTINUE;
    if (!this.#emittedValue) start = s === 0 ? DATA_START : FRESH;
    else if (epoch !== this.#epoch) start = FRESH;
    this.#emittedValue = true;
    this.#epoch = epoch;
    return this.#value(s, start, this.#t);
  }
}
