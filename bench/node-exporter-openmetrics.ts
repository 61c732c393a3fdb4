// Writes an OpenMetrics backfill file of node_exporter-like series for bench/tsdb-vs-prometheus.ts:
// per instance of 1,000 series, CPU/network/disk counters, memory/filesystem/load gauges and an
// HTTP latency histogram (12 cumulative buckets, _sum, _count), sampled every `intervalMs`. All
// series share each scrape's timestamp, which carries 0–2 ms of jitter as real scrapes do.
// Deterministic: the same options always give the same bytes.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** Options of writeNodeExporterOpenMetrics. */
export interface NodeExporterFileOptions {
  readonly file: string;
  /** Total series; instances of 1,000 series are added until there are this many. */
  readonly series: number;
  /** First sample time (ms since the epoch). */
  readonly startMs: number;
  readonly samplesPerSeries: number;
  readonly intervalMs: number;
}

/** One group of series written together at each timestamp (a single series, or one histogram). */
interface Group {
  /** Sample names with their label text, e.g. `node_load1{instance="…"}`. */
  readonly lines: string[];
  /** Advances the group one scrape and returns its values, one per line. */
  next(): number[];
}

/** A metric family: its TYPE line and its groups across all instances. */
interface Family {
  readonly header: string;
  readonly groups: Group[];
}

const SERIES_PER_INSTANCE = 1000;
const CPU_MODES = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];
const BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",")}}`;
}

/** The families of `instances` instances, each with exactly 1,000 series. */
function buildFamilies(instances: number, rand: () => number): Family[] {
  const families = new Map<string, Family>();
  const family = (name: string, type: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { header: `# TYPE ${name} ${type}\n`, groups: [] }));
    return f;
  };
  const round2 = (v: number) => Math.round(v * 100) / 100;
  for (let i = 0; i < instances; i++) {
    const inst = { instance: `node-${String(i).padStart(3, "0")}:9100`, job: "node" };
    let count = 0;
    const counter = (name: string, labels: Record<string, string>, perScrape: number, integer: boolean) => {
      let v = Math.floor(rand() * 1e6);
      family(name, "counter").groups.push({
        lines: [`${name}_total${labelText({ ...inst, ...labels })}`],
        next: () => [(v = integer ? v + Math.floor(perScrape * rand() * 2) : round2(v + perScrape * (0.5 + rand())))],
      });
      count++;
    };
    const gauge = (name: string, labels: Record<string, string>, next: () => number) => {
      family(name, "gauge").groups.push({ lines: [`${name}${labelText({ ...inst, ...labels })}`], next: () => [next()] });
      count++;
    };
    for (let c = 0; c < 16; c++) for (const mode of CPU_MODES) counter("node_cpu_seconds", { cpu: String(c), mode }, mode === "idle" ? 14 : 0.3, false);
    for (const dir of ["receive", "transmit"]) {
      for (const [what, rate] of [["bytes", 2e6], ["packets", 2e3], ["errs", 0.01], ["drop", 0.05]] as const) {
        for (let d = 0; d < 4; d++) counter(`node_network_${dir}_${what}`, { device: `eth${d}` }, rate, true);
      }
    }
    for (const [what, rate] of [["reads_completed", 300], ["writes_completed", 500], ["read_bytes", 4e6], ["written_bytes", 8e6], ["io_time_seconds", 3]] as const) {
      for (let d = 0; d < 4; d++) counter(`node_disk_${what}`, { device: `nvme${d}n1` }, rate, what !== "io_time_seconds");
    }
    for (let m = 0; m < 40; m++) {
      let v = Math.floor(rand() * 8e6) * 4096;
      gauge(`node_memory_m${String(m).padStart(2, "0")}_bytes`, {}, () => (v += (Math.floor(rand() * 64) - 32) * 4096));
    }
    for (let d = 0; d < 10; d++) {
      const labels = { device: `/dev/nvme0n1p${d}`, fstype: "ext4", mountpoint: `/data${d}` };
      const size = Math.floor(rand() * 1e8) * 4096;
      let free = Math.floor(size * rand());
      gauge("node_filesystem_size_bytes", labels, () => size);
      gauge("node_filesystem_free_bytes", labels, () => (free -= Math.floor(rand() * 16) * 4096));
      gauge("node_filesystem_avail_bytes", labels, () => free - 5 * 4096 * 1024);
    }
    for (const n of ["1", "5", "15"]) gauge(`node_load${n}`, {}, () => round2(rand() * 4));
    // Fill the instance with HTTP histograms, then pad with temperature gauges.
    for (let h = 0; count + BUCKETS.length + 2 <= SERIES_PER_INSTANCE; h++) {
      const labels = { ...inst, handler: `/api/v1/h${h}` };
      const name = "http_request_duration_seconds";
      const counts = BUCKETS.map(() => 0);
      let sum = 0;
      family(name, "histogram").groups.push({
        lines: [...BUCKETS.map((le) => `${name}_bucket${labelText({ ...labels, le })}`), `${name}_sum${labelText(labels)}`, `${name}_count${labelText(labels)}`],
        next: () => {
          const n = Math.floor(rand() * 40);
          let acc = 0;
          for (let b = 0; b < counts.length; b++) {
            // Most requests land in the middle buckets; cumulative counts stay monotonic.
            acc += Math.floor((n * (b + 1)) / counts.length) - Math.floor((n * b) / counts.length);
            counts[b] = (counts[b] as number) + acc;
          }
          sum = round2(sum + n * 0.08 * (0.5 + rand()));
          return [...counts, sum, counts[counts.length - 1] as number];
        },
      });
      count += BUCKETS.length + 2;
    }
    for (let s = 0; count < SERIES_PER_INSTANCE; s++) gauge("node_hwmon_temp_celsius", { sensor: `temp${s}` }, () => 40 + Math.floor(rand() * 20));
  }
  return [...families.values()];
}

/** Writes the file; resolves with the number of samples written. */
export async function writeNodeExporterOpenMetrics(o: NodeExporterFileOptions): Promise<number> {
  const rand = prng(7);
  const instances = Math.ceil(o.series / SERIES_PER_INSTANCE);
  const families = buildFamilies(instances, rand);
  // Cut the last instance's extra series so exactly `series` remain.
  let excess = instances * SERIES_PER_INSTANCE - o.series;
  for (let i = families.length - 1; i >= 0 && excess > 0; i--) {
    const f = families[i] as Family;
    while (excess > 0 && f.groups.length > 0 && (f.groups[f.groups.length - 1] as Group).lines.length <= excess) excess -= (f.groups.pop() as Group).lines.length;
  }
  const out = createWriteStream(o.file);
  const jitter = prng(1);
  const times = Array.from({ length: o.samplesPerSeries }, (_, s) => ((o.startMs + s * o.intervalMs + Math.floor(jitter() * 3)) / 1000).toFixed(3));
  let buf = "";
  let samples = 0;
  const flush = async (force: boolean) => {
    if (buf.length < 1 << 20 && !force) return;
    if (!out.write(buf)) await once(out, "drain");
    buf = "";
  };
  for (const f of families) {
    if (f.groups.length === 0) continue;
    buf += f.header;
    for (const g of f.groups) {
      for (const ts of times) {
        const values = g.next();
        for (let l = 0; l < g.lines.length; l++) buf += `${g.lines[l]} ${values[l]} ${ts}\n`;
        samples += g.lines.length;
      }
      await flush(false);
    }
  }
  buf += "# EOF\n";
  await flush(true);
  out.end();
  await once(out, "finish");
  return samples;
}
