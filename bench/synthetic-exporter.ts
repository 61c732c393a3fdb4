// Synthetic exporter for bench/ingest-vs-prometheus.ts, run as its own process so its CPU is not
// charged to the processes being measured. Serves `--targets` loopback ports, each exposing
// `--series` series in text format 0.0.4 (gzipped when the scraper accepts it): HTTP histograms,
// gRPC and database counters, node-exporter style CPU, network and filesystem series, Kafka lag.
//
// Bodies are rendered at most once per `--refresh-ms` per target and then served from memory, so
// the exporter stays far cheaper than the scrapers. Counters grow with time; histogram buckets
// stay cumulative. Prints one JSON line `{"addresses":["127.0.0.1:PORT",...]}` once listening.
//
// Run: node dist/bench/synthetic-exporter.js --targets 100 --series 10000 --refresh-ms 15000
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { constants, gzipSync } from "node:zlib";

/** One exposed series: the text before its value, and how its value moves. */
interface SeriesShape {
  readonly prefix: string;
  readonly base: number;
  /** Growth per second for counters; swing amplitude for gauges. */
  readonly rate: number;
  readonly kind: "counter" | "gauge";
}

/** A metric family: its header lines and its series, in exposition order. */
interface Family {
  readonly header: string;
  readonly series: SeriesShape[];
}

const HANDLERS = ["/", "/login", "/logout", "/api/v1/users", "/api/v1/users/:id", "/api/v1/orders", "/api/v1/orders/:id", "/api/v1/cart", "/api/v1/cart/items", "/api/v1/checkout", "/api/v1/payments", "/api/v1/search", "/api/v1/products", "/api/v1/products/:id", "/api/v1/reviews", "/api/v1/inventory", "/api/v1/shipping", "/api/v1/invoices", "/api/v1/notifications", "/api/v1/sessions", "/healthz", "/readyz", "/metrics", "/static/*", "/graphql", "/webhooks/stripe", "/webhooks/github", "/admin", "/admin/users", "/admin/reports", "/api/v2/users", "/api/v2/orders", "/api/v2/search", "/api/v2/products", "/api/v2/cart", "/oauth/authorize", "/oauth/token", "/oauth/callback", "/ws", "/upload"];
const METHODS = ["GET", "POST", "PUT", "DELETE"];
const CODES = ["200", "201", "400", "404", "500"];
const LATENCY_BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
const GRPC_CODES = ["OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists", "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated"];
const CPU_MODES = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"];

/** A deterministic pseudo-random sequence, so every run exposes the same shapes. */
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
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Builds the families of one target, cut or padded to exactly `count` series. */
function buildFamilies(count: number): Family[] {
  const rand = prng(42);
  const families: Family[] = [];
  const family = (name: string, type: string, help: string): Family => {
    const f: Family = { header: `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`, series: [] };
    families.push(f);
    return f;
  };
  const counter = (f: Family, name: string, labels: Record<string, string>, rate = 1 + rand() * 50, base = Math.floor(rand() * 1e6)) =>
    f.series.push({ prefix: `${name}${labelText(labels)} `, base, rate, kind: "counter" });
  const gauge = (f: Family, name: string, labels: Record<string, string>, base = rand() * 1e9) =>
    f.series.push({ prefix: `${name}${labelText(labels)} `, base, rate: base * 0.05, kind: "gauge" });
  const histogram = (name: string, help: string, labelSets: Record<string, string>[]) => {
    const f = family(name, "histogram", help);
    for (const labels of labelSets) {
      const rate = 5 + rand() * 100;
      const count = Math.floor(rand() * 1e6);
      // Buckets are cumulative: each `le` holds at least what the smaller ones hold.
      const share = (i: number) => (i + 1) / LATENCY_BUCKETS.length;
      LATENCY_BUCKETS.forEach((le, i) => counter(f, `${name}_bucket`, { ...labels, le }, rate * share(i), Math.floor(count * share(i))));
      counter(f, `${name}_sum`, labels, rate * 0.12, count * 0.12);
      counter(f, `${name}_count`, labels, rate, count);
    }
  };

  const handlerMethods = HANDLERS.flatMap((handler) => METHODS.map((method) => ({ handler, method })));
  histogram("http_request_duration_seconds", "Latency of HTTP requests.", handlerMethods);
  const requests = family("http_requests_total", "counter", "HTTP requests by handler, method and status code.");
  for (const hm of handlerMethods) for (const code of CODES) counter(requests, "http_requests_total", { ...hm, code });
  const grpc = family("grpc_server_handled_total", "counter", "RPCs completed on the server, regardless of success or failure.");
  for (let s = 0; s < 10; s++) {
    for (let m = 0; m < 10; m++) {
      for (const grpc_code of GRPC_CODES) counter(grpc, "grpc_server_handled_total", { grpc_code, grpc_method: `Method${m}`, grpc_service: `shop.v1.Service${s}`, grpc_type: "unary" });
    }
  }
  histogram(
    "db_query_duration_seconds",
    "Latency of database queries.",
    Array.from({ length: 100 }, (_, i) => ({ db: i % 2 === 0 ? "primary" : "replica", query: `q${String(Math.floor(i / 2)).padStart(3, "0")}` })),
  );
  const cpu = family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.");
  for (let c = 0; c < 32; c++) for (const mode of CPU_MODES) counter(cpu, "node_cpu_seconds_total", { cpu: String(c), mode }, mode === "idle" ? 0.8 : 0.03);
  for (const dir of ["receive", "transmit"]) {
    for (const what of ["bytes", "packets", "errs", "drop"]) {
      const name = `node_network_${dir}_${what}_total`;
      const f = family(name, "counter", `Network device statistic ${dir}_${what}.`);
      for (let d = 0; d < 16; d++) counter(f, name, { device: d < 4 ? `eth${d}` : `veth${(d * 2654435761) % 0xffffff}` });
    }
  }
  for (const what of ["avail", "free", "size"]) {
    const name = `node_filesystem_${what}_bytes`;
    const f = family(name, "gauge", `Filesystem ${what} space in bytes.`);
    for (let d = 0; d < 20; d++) gauge(f, name, { device: `/dev/nvme0n1p${d}`, fstype: d % 3 === 0 ? "xfs" : "ext4", mountpoint: `/var/lib/data${d}` });
  }
  const lag = family("kafka_consumergroup_lag", "gauge", "Current approximate lag of a consumer group at topic/partition.");
  for (let t = 0; t < 10; t++) {
    for (let p = 0; p < 16; p++) for (let g = 0; g < 4; g++) gauge(lag, "kafka_consumergroup_lag", { consumergroup: `group-${g}`, partition: String(p), topic: `orders.events.v${t}` }, rand() * 5000);
  }
  const flags = family("feature_flag_evaluations_total", "counter", "Feature flag evaluations by flag and variant.");
  let total = families.reduce((n, f) => n + f.series.length, 0);
  for (let i = 0; total < count; i++, total++) counter(flags, "feature_flag_evaluations_total", { flag: `flag_${String(Math.floor(i / 2)).padStart(5, "0")}`, variant: i % 2 === 0 ? "on" : "off" });
  // Cut from the end when fewer series were asked for than the fixed families hold.
  let excess = total - count;
  for (let i = families.length - 1; i >= 0 && excess > 0; i--) {
    const f = families[i] as Family;
    const cut = Math.min(excess, f.series.length);
    f.series.length -= cut;
    excess -= cut;
  }
  return families.filter((f) => f.series.length > 0);
}

/** Renders one target's body at `seconds` since start; `skew` makes targets' values differ. */
function render(families: readonly Family[], seconds: number, skew: number): string {
  let out = "";
  for (const f of families) {
    out += f.header;
    for (const s of f.series) {
      const v = s.kind === "counter" ? Math.floor(s.base + s.rate * skew * seconds) : Math.round(s.base + s.rate * Math.sin(seconds / 60 + skew));
      out += `${s.prefix}${v}\n`;
    }
  }
  return out;
}

/** One target's cached bodies for its current generation. */
interface Rendered {
  generation: number;
  plain: Buffer;
  gzip: Buffer;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      targets: { type: "string", default: "100" },
      series: { type: "string", default: "10000" },
      "refresh-ms": { type: "string", default: "15000" },
    },
  });
  const targets = Number(values.targets);
  const refreshMs = Number(values["refresh-ms"]);
  const families = buildFamilies(Number(values.series));
  const started = performance.now();
  const cache: (Rendered | undefined)[] = [];
  const body = (target: number): Rendered => {
    const generation = Math.floor((performance.now() - started) / refreshMs);
    let r = cache[target];
    if (r?.generation !== generation) {
      const plain = Buffer.from(render(families, (generation * refreshMs) / 1000, 1 + target / targets), "latin1");
      r = { generation, plain, gzip: gzipSync(plain, { level: constants.Z_BEST_SPEED }) };
      cache[target] = r;
    }
    return r;
  };
  const servers: Server[] = [];
  const listening = Array.from({ length: targets }, (_, target) => {
    const server = createServer((req, res) => {
      if (req.url !== "/metrics") {
        res.statusCode = 404;
        res.end("not found\n");
        return;
      }
      const r = body(target);
      res.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
        res.setHeader("Content-Encoding", "gzip");
        res.end(r.gzip);
      } else {
        res.end(r.plain);
      }
    });
    servers.push(server);
    return new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)));
  });
  void Promise.all(listening).then((addresses) => process.stdout.write(`${JSON.stringify({ addresses })}\n`));
  const stop = () => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main();
