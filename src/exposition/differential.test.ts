// Differential test: every input in testdata/differential is scraped by a real Prometheus and
// parsed by Meridian; both must accept the same inputs and yield the same series and values.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  requirePeer,
  runWithPeerLog,
  startPrometheus,
  withPeer,
  type PrometheusPeer,
  type PromMatrixSeries,
} from "../../test/peers/index.js";
import { ParseError, parse } from "./index.js";

const TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

// Series Prometheus adds to every scrape; they are not part of the exposition.
const PROMETHEUS_ARGS = ["--enable-feature=exemplar-storage"];

const SCRAPE_META_SERIES = new Set([
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
]);

/** One exposition body served to Prometheus and given to the parser. */
interface Input {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** What one side made of an input: rejected with a reason, or accepted with its series. */
type Outcome =
  | { readonly accepted: false; readonly error: string; readonly unexpected?: boolean }
  | { readonly accepted: true; readonly series: ReadonlyMap<string, StoredSeries> };

/** The samples of one series, keyed by its canonical label string. */
interface StoredSeries {
  readonly values: readonly number[];
  /** Milliseconds; on the parser side only when the exposition gave one. */
  readonly timestampsMs: readonly number[];
  readonly exemplars: readonly StoredExemplar[];
}

/** An exemplar of one series; Prometheus stamps exemplars without a timestamp with the scrape time. */
interface StoredExemplar {
  readonly key: string;
  readonly value: number;
  readonly timestampMs?: number;
}

// Prometheus' exemplar storage drops exemplars whose label set is longer than OpenMetrics allows
// (without failing the scrape), so such exemplars are not compared.
const MAX_EXEMPLAR_LABEL_RUNES = 128;

function testdataDir(): string {
  // Compiled tests run from dist/, and testdata is not copied there, so find the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the test file");
    dir = parent;
  }
  return join(dir, "src", "exposition", "testdata", "differential");
}

/**
 * Timestamps in inputs are placeholders filled in at load time: a fixed old timestamp would fall
 * outside the TSDB head and be dropped, hiding whether Prometheus parsed it.
 */
function fillTimestamps(text: string, baseMs: number): string {
  return text
    .replaceAll("@TS_MS@", String(baseMs + 250))
    .replaceAll("@TS_S@", ((baseMs + 250) / 1000).toFixed(3))
    .replaceAll("@TS_S_INT@", String(baseMs / 1000));
}

function contentTypeOf(name: string): string {
  return name.endsWith(".om") ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

// Large inputs are generated rather than committed.
function generatedInputs(): Input[] {
  const huge = "x".repeat(100 * 1024);
  const many = Array.from({ length: 2000 }, (_, i) => `many_series{i="${i}"} ${i}\n`).join("");
  const text = (name: string, body: string): Input => ({
    name,
    contentType: contentTypeOf(name),
    body: Buffer.from(body),
  });
  return [
    text("90-huge-label-value.txt", `# TYPE huge gauge\nhuge{v="${huge}"} 1\n`),
    text("91-om-huge-label-value.om", `# TYPE om_huge gauge\nom_huge{v="${huge}"} 1\n# EOF\n`),
    text("92-many-series.txt", `# TYPE many_series gauge\n${many}`),
    text("93-huge-help.txt", `# HELP huge_help ${huge}\n# TYPE huge_help gauge\nhuge_help 1\n`),
  ];
}

function loadInputs(baseMs: number): Input[] {
  const dir = testdataDir();
  const fromFiles = readdirSync(dir)
    .filter((f) => f.endsWith(".txt") || f.endsWith(".om"))
    .map((name) => {
      const raw = readFileSync(join(dir, name));
      // Substitution goes through latin1 so deliberately invalid UTF-8 bytes survive unchanged.
      const body = Buffer.from(fillTimestamps(raw.toString("latin1"), baseMs), "latin1");
      return { name, contentType: contentTypeOf(name), body };
    });
  return [...fromFiles, ...generatedInputs()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function serveInputs(inputs: readonly Input[]): Promise<Server> {
  const byPath = new Map(inputs.map((i) => [`/inputs/${i.name}`, i]));
  const server = createServer((req, res) => {
    const input = byPath.get(req.url ?? "");
    if (input === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": input.contentType, "Content-Length": input.body.length }).end(input.body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

function prometheusConfig(inputs: readonly Input[], port: number): Record<string, unknown> {
  return {
    global: { scrape_interval: "1s", scrape_timeout: "1s" },
    scrape_configs: inputs.map((i) => ({
      job_name: i.name,
      honor_labels: true,
      honor_timestamps: true,
      metrics_path: `/inputs/${i.name}`,
      static_configs: [{ targets: [`127.0.0.1:${port}`] }],
    })),
  };
}

interface ActiveTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
}

async function scrapeResults(prom: PrometheusPeer, inputs: readonly Input[]): Promise<Map<string, ActiveTarget>> {
  return prom.waitFor(
    async () => {
      const data = await prom.api<{ activeTargets: ActiveTarget[] }>("/api/v1/targets", { state: "active" });
      const byJob = new Map(data.activeTargets.map((t) => [t.labels.job ?? "", t]));
      const done = inputs.every((i) => {
        const health = byJob.get(i.name)?.health;
        return health === "up" || health === "down";
      });
      return done ? byJob : undefined;
    },
    { timeoutMs: 40_000, intervalMs: 250, what: "a first scrape of every input" },
  );
}

/** Canonical key of a label set: sorted pairs, empty values dropped (Prometheus treats them as absent). */
function seriesKey(labels: Iterable<{ readonly name: string; readonly value: string }>): string {
  const pairs = [...labels].filter((l) => l.value !== "").map((l) => [l.name, l.value] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify(pairs);
}

/** A series of a `/api/v1/query_exemplars` answer. */
interface PromExemplarSeries {
  readonly seriesLabels: Readonly<Record<string, string>>;
  readonly exemplars: readonly { labels: Readonly<Record<string, string>>; value: string; timestamp: number }[];
}

/** Key of a series Prometheus returns, without the target labels it added. */
function promSeriesKey(metric: Readonly<Record<string, string>>): string {
  return seriesKey(
    Object.entries(metric)
      .filter(([name]) => name !== "job" && name !== "instance")
      .map(([name, value]) => ({ name, value })),
  );
}

function promValue(text: string): number {
  // Prometheus' JSON spells infinities the Go way, which Number() does not read.
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  return Number(text);
}

async function prometheusOutcome(
  prom: PrometheusPeer,
  input: Input,
  target: ActiveTarget | undefined,
  atSeconds: number,
): Promise<Outcome> {
  if (target === undefined) return { accepted: false, error: "no target" };
  if (target.health !== "up") return { accepted: false, error: target.lastError };
  // A range selector returns every stored sample, including those with explicit timestamps
  // that an instant query's lookback would pick or skip depending on timing.
  const selector = `{job=${JSON.stringify(input.name)}}`;
  const data = await prom.query(`${selector}[10m]`, atSeconds);
  const exemplarData = await prom.api<PromExemplarSeries[]>("/api/v1/query_exemplars", {
    query: selector,
    start: String(atSeconds - 600),
    end: String(atSeconds + 60),
  });
  const exemplars = new Map<string, StoredExemplar[]>();
  for (const e of exemplarData) {
    exemplars.set(
      promSeriesKey(e.seriesLabels),
      e.exemplars.map((x) => ({
        key: seriesKey(Object.entries(x.labels).map(([name, value]) => ({ name, value }))),
        value: promValue(x.value),
        timestampMs: Math.round(x.timestamp * 1000),
      })),
    );
  }
  const series = new Map<string, StoredSeries>();
  for (const s of data.result as PromMatrixSeries[]) {
    if (SCRAPE_META_SERIES.has(s.metric.__name__ ?? "")) continue;
    const key = promSeriesKey(s.metric);
    series.set(key, {
      values: s.values.map(([, v]) => promValue(v)),
      timestampsMs: s.values.map(([t]) => Math.round(t * 1000)),
      exemplars: exemplars.get(key) ?? [],
    });
  }
  return { accepted: true, series };
}

function parserOutcome(input: Input): Outcome {
  let families;
  try {
    families = parse(new Uint8Array(input.body), input.contentType);
  } catch (err) {
    // Any other error is a parser bug, not a rejection, even if Prometheus rejects the input too.
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { accepted: false, error, unexpected: !(err instanceof ParseError) };
  }
  const series = new Map<string, StoredSeries>();
  for (const family of families) {
    for (const sample of family.samples) {
      const key = seriesKey(sample.labels);
      // Prometheus drops a repeated series within one scrape, so the first occurrence counts.
      if (series.has(key)) continue;
      const e = sample.exemplar;
      const runes = e === undefined ? 0 : [...e.labels].reduce((n, l) => n + [...l.name].length + [...l.value].length, 0);
      series.set(key, {
        values: [sample.value],
        timestampsMs: sample.timestampMs === undefined ? [] : [sample.timestampMs],
        exemplars:
          e === undefined || runes > MAX_EXEMPLAR_LABEL_RUNES
            ? []
            : [{ key: seriesKey(e.labels), value: e.value, ...(e.timestampMs === undefined ? {} : { timestampMs: e.timestampMs }) }],
      });
    }
  }
  return { accepted: true, series };
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function describeOutcome(o: Outcome): string {
  if (!o.accepted) return `rejected (${o.error})`;
  const lines = [...o.series].map(([key, s]) => {
    const values = [...new Set(s.values.map(String))].join(",");
    const ts = s.timestampsMs.length > 0 ? ` @${[...new Set(s.timestampsMs)].join(",")}` : "";
    const ex = [...new Set(s.exemplars.map(describeExemplar))].join(" ");
    return `    ${key.length > 200 ? `${key.slice(0, 200)}…(${key.length} chars)` : key} = ${values}${ts}${ex === "" ? "" : ` exemplar ${ex}`}`;
  });
  return `accepted, ${o.series.size} series\n${lines.slice(0, 20).join("\n")}${lines.length > 20 ? "\n    …" : ""}`;
}

function describeExemplar(e: StoredExemplar): string {
  return `${e.key} ${e.value}${e.timestampMs === undefined ? "" : ` @${e.timestampMs}`}`;
}

/** Differences between the two outcomes, one line each; empty when they agree. */
function differences(prom: Outcome, ours: Outcome): string[] {
  if (!ours.accepted && ours.unexpected === true) return [`the parser threw something other than ParseError`];
  if (prom.accepted !== ours.accepted) {
    return [`prometheus ${prom.accepted ? "accepted" : "rejected"} but the parser ${ours.accepted ? "accepted" : "rejected"}`];
  }
  if (!prom.accepted || !ours.accepted) return [];
  const diffs: string[] = [];
  for (const key of prom.series.keys()) if (!ours.series.has(key)) diffs.push(`only prometheus has ${key}`);
  for (const [key, s] of ours.series) {
    const stored = prom.series.get(key);
    if (stored === undefined) {
      diffs.push(`only the parser has ${key}`);
      continue;
    }
    const want = s.values[0] as number;
    const bad = stored.values.filter((v) => !sameValue(v, want));
    if (bad.length > 0) diffs.push(`${key}: parser value ${want}, prometheus stored ${[...new Set(bad)].join(",")}`);
    const ts = s.timestampsMs[0];
    if (ts !== undefined && stored.timestampsMs.some((t) => t !== ts)) {
      diffs.push(`${key}: parser timestamp ${ts}, prometheus stored ${[...new Set(stored.timestampsMs)].join(",")}`);
    }
    diffs.push(...exemplarDifferences(key, s.exemplars[0], stored.exemplars));
  }
  return diffs;
}

function exemplarDifferences(key: string, ours: StoredExemplar | undefined, stored: readonly StoredExemplar[]): string[] {
  // Without its own timestamp an exemplar is re-stored on every scrape, so compare distinct ones.
  const distinct = [...new Map(stored.map((e) => [`${e.key} ${e.value}`, e])).values()];
  const theirs = distinct.map(describeExemplar).join(" ") || "none";
  if (ours === undefined) return distinct.length === 0 ? [] : [`${key}: parser has no exemplar, prometheus stored ${theirs}`];
  const matches =
    distinct.length === 1 &&
    distinct.every((e) => e.key === ours.key && sameValue(e.value, ours.value)) &&
    (ours.timestampMs === undefined || stored.every((e) => e.timestampMs === ours.timestampMs));
  return matches ? [] : [`${key}: parser exemplar ${describeExemplar(ours)}, prometheus stored ${theirs}`];
}

void test("exposition parser accepts and yields exactly what Prometheus 2.42 scrapes", async (t) => {
  if (!requirePeer(t, "prometheus", "prometheus")) return;
  const baseMs = Math.floor(Date.now() / 1000) * 1000 - 30_000;
  const inputs = loadInputs(baseMs);
  assert.ok(inputs.length >= 45, `only ${inputs.length} differential inputs`);
  const server = await serveInputs(inputs);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  assert.ok(address !== null && typeof address === "object");
  const prom = withPeer(t, await startPrometheus({ config: prometheusConfig(inputs, address.port), args: PROMETHEUS_ARGS }));
  const targets = await runWithPeerLog(prom, () => scrapeResults(prom, inputs));
  const atSeconds = Date.now() / 1000;
  for (const input of inputs) {
    await t.test(input.name, async () => {
      const promSide = await prometheusOutcome(prom, input, targets.get(input.name), atSeconds);
      const ourSide = parserOutcome(input);
      const diffs = differences(promSide, ourSide);
      assert.ok(
        diffs.length === 0,
        `${input.name} (${input.contentType}):\n  ${diffs.join("\n  ")}\n` +
          `  prometheus: ${describeOutcome(promSide)}\n  parser:     ${describeOutcome(ourSide)}`,
      );
    });
  }
});
