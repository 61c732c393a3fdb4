// Parse throughput of the exposition module on a node_exporter-like payload of ~10,000 series.
// Run: npx tsc -p . && node dist/bench/exposition-parse.js
import { createParser, parse } from "../src/exposition/index.js";

/** Builds a node_exporter-shaped text 0.0.4 body with about `target` series. */
function buildPayload(target: number): string {
  const out: string[] = [];
  let series = 0;
  const modes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];
  out.push("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n# TYPE node_cpu_seconds_total counter\n");
  for (let cpu = 0; cpu < 64; cpu++) {
    for (const mode of modes) {
      out.push(`node_cpu_seconds_total{cpu="${cpu}",mode="${mode}"} ${(cpu * 1000 + mode.length * 17.31).toFixed(2)}\n`);
      series++;
    }
  }
  const devices = Array.from({ length: 40 }, (_, i) => `nvme${i >> 2}n${i & 3}`);
  for (const metric of ["node_disk_read_bytes_total", "node_disk_written_bytes_total", "node_disk_io_time_seconds_total", "node_disk_reads_completed_total"]) {
    out.push(`# HELP ${metric} Disk statistic for the device.\n# TYPE ${metric} counter\n`);
    for (const d of devices) {
      out.push(`${metric}{device="${d}"} ${(d.length * 123456.789).toExponential(6)}\n`);
      series++;
    }
  }
  const mounts = Array.from({ length: 60 }, (_, i) => [`/dev/sd${String.fromCharCode(97 + (i % 26))}${i}`, `/mnt/data${i}`, i % 3 ? "ext4" : "xfs"]);
  for (const metric of ["node_filesystem_avail_bytes", "node_filesystem_size_bytes", "node_filesystem_files_free"]) {
    out.push(`# HELP ${metric} Filesystem statistic.\n# TYPE ${metric} gauge\n`);
    for (const [dev, mp, fs] of mounts) {
      out.push(`${metric}{device="${dev}",fstype="${fs}",mountpoint="${mp}"} ${1.5e11 + mp!.length}\n`);
      series++;
    }
  }
  const les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
  let h = 0;
  while (series < target) {
    const name = `http_request_duration_seconds_${h % 50}`;
    out.push(`# HELP ${name} Request latency.\n# TYPE ${name} histogram\n`);
    for (const handler of ["/api/v1/query", "/api/v1/series", "/metrics", "/-/ready"]) {
      let c = 0;
      for (const le of les) {
        c += 7;
        out.push(`${name}_bucket{handler="${handler}",code="200",le="${le}"} ${c}\n`);
      }
      out.push(`${name}_sum{handler="${handler}",code="200"} ${c * 0.0123}\n${name}_count{handler="${handler}",code="200"} ${c}\n`);
      series += les.length + 2;
    }
    h++;
  }
  return out.join("");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

function measure(label: string, bytes: number, run: () => number): void {
  for (let i = 0; i < 20; i++) run();
  const times: number[] = [];
  let samples = 0;
  for (let i = 0; i < 30; i++) {
    const t0 = process.hrtime.bigint();
    samples = run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const t = median(times);
  console.log(
    `${label.padEnd(34)} ${(samples / t / 1e6).toFixed(2)} M samples/s  ${(bytes / t / 1e6).toFixed(1)} MB/s  (median ${(t * 1000).toFixed(2)} ms)`,
  );
}

const text = buildPayload(10_000);
const body = new TextEncoder().encode(text);
console.log(`payload: ${body.length} bytes`);

measure("streaming (next + value)", body.length, () => {
  const p = createParser(body, "prometheus-text-0.0.4");
  let n = 0;
  let sum = 0;
  for (let e = p.next(); e !== "eof"; e = p.next()) {
    if (e === "series") {
      sum += p.value();
      n++;
    }
  }
  return sum > -1 ? n : 0;
});
measure("streaming (+ name, labels decoded)", body.length, () => {
  const p = createParser(body, "prometheus-text-0.0.4");
  let n = 0;
  for (let e = p.next(); e !== "eof"; e = p.next()) {
    if (e === "series") {
      p.name();
      for (let i = 0; i < p.labelCount(); i++) {
        p.labelName(i);
        p.labelValue(i);
      }
      n++;
    }
  }
  return n;
});
measure("parse() to MetricFamily[]", body.length, () => parse(body).reduce((a, f) => a + f.samples.length, 0));
