import type { Labels } from "../model/index.js";
import { formatGoFloat } from "./float.js";
import type { Exemplar, Format, MetricFamily, MetricType, Sample } from "./types.js";

const TEXT_TYPE: Readonly<Record<MetricType, string>> = {
  counter: "counter",
  gauge: "gauge",
  histogram: "histogram",
  // Text 0.0.4 has none of these; like client_python we write their closest text type.
  gaugehistogram: "histogram",
  summary: "summary",
  info: "gauge",
  stateset: "gauge",
  untyped: "untyped",
  unknown: "untyped",
};

function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`)) : v;
}

function escapeHelp(v: string, quotes: boolean): string {
  const re = quotes ? /[\\"\n]/g : /[\\\n]/g;
  return v.replace(re, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

function labelSet(labels: Labels, skipName: boolean): string {
  let out = "";
  for (let i = 0; i < labels.size; i++) {
    const n = labels.nameAt(i);
    if (skipName && n === "__name__") continue;
    out += `${out === "" ? "" : ","}${n}="${escapeLabelValue(labels.valueAt(i))}"`;
  }
  return out === "" ? "" : `{${out}}`;
}

/** Integer milliseconds as decimal text without exponent notation. */
function intText(ms: number): string {
  return Number.isSafeInteger(ms) ? String(ms) : BigInt(Math.trunc(ms)).toString();
}

function nextDouble(x: number, up: boolean): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  let bits = buf.getBigInt64(0);
  bits += (x >= 0) === up ? 1n : -1n;
  buf.setBigInt64(0, bits);
  return buf.getFloat64(0);
}

/**
 * Milliseconds as OpenMetrics seconds. Prometheus converts back with a truncating `int64(s*1000)`,
 * so the shortest decimal of ms/1000 may come back one millisecond short; nudge the double until
 * the conversion lands on `ms` again.
 */
export function msToSecondsText(ms: number): string {
  if (!Number.isInteger(ms)) return formatGoFloat(ms / 1000);
  const base = ms / 1000;
  let up = base;
  let down = base;
  for (let k = 0; k < 8; k++) {
    for (const c of k === 0 ? [base] : [up, down]) {
      if (Math.trunc(c * 1000) === ms) return formatGoFloat(c);
    }
    up = nextDouble(up, true);
    down = nextDouble(down, false);
  }
  return formatGoFloat(base);
}

function textSample(name: string, s: Sample): string {
  const ts = s.timestampMs === undefined ? "" : ` ${intText(s.timestampMs)}`;
  return `${name}${labelSet(s.labels, true)} ${formatGoFloat(s.value)}${ts}\n`;
}

function exemplarText(e: Exemplar): string {
  const ts = e.timestampMs === undefined ? "" : ` ${msToSecondsText(e.timestampMs)}`;
  const labels = labelSet(e.labels, false);
  return ` # ${labels === "" ? "{}" : labels} ${formatGoFloat(e.value)}${ts}`;
}

function omSample(name: string, s: Sample): string {
  const ts = s.timestampMs === undefined ? "" : ` ${msToSecondsText(s.timestampMs)}`;
  const ex = s.exemplar === undefined ? "" : exemplarText(s.exemplar);
  return `${name}${labelSet(s.labels, true)} ${formatGoFloat(s.value)}${ts}${ex}\n`;
}

function serializeText(families: readonly MetricFamily[]): string {
  const parts: string[] = [];
  for (const f of families) {
    // Text counters are named with their `_total` suffix (client_golang's convention).
    let name = f.name;
    if (f.type === "counter" && !name.endsWith("_total") && f.samples.some((s) => s.labels.metricName === `${name}_total`)) {
      name = `${name}_total`;
    }
    if (f.help !== undefined) parts.push(`# HELP ${name} ${escapeHelp(f.help, false)}\n`);
    parts.push(`# TYPE ${name} ${TEXT_TYPE[f.type]}\n`);
    for (const s of f.samples) parts.push(textSample(s.labels.metricName || name, s));
  }
  return parts.join("");
}

function serializeOpenMetrics(families: readonly MetricFamily[]): string {
  const parts: string[] = [];
  for (const f of families) {
    let name = f.name;
    let suffix = "";
    if (f.type === "counter") suffix = "_total";
    else if (f.type === "info") suffix = "_info";
    // OpenMetrics names the family without the suffix its samples carry.
    if (suffix !== "" && name.endsWith(suffix)) name = name.slice(0, -suffix.length);
    const type = f.type === "untyped" ? "unknown" : f.type;
    if (f.help !== undefined) parts.push(`# HELP ${name} ${escapeHelp(f.help, true)}\n`);
    parts.push(`# TYPE ${name} ${type}\n`);
    if (f.unit !== undefined && f.unit !== "" && name.endsWith(`_${f.unit}`)) parts.push(`# UNIT ${name} ${f.unit}\n`);
    for (const s of f.samples) {
      let sampleName = s.labels.metricName || name;
      if (suffix !== "" && sampleName === name) sampleName += suffix;
      parts.push(omSample(sampleName, s));
    }
  }
  parts.push("# EOF\n");
  return parts.join("");
}

/**
 * Writes families in `format`. Text 0.0.4 drops units and exemplars and maps OpenMetrics-only types
 * to their nearest text type; OpenMetrics names counter and info families without `_total`/`_info`,
 * adds the suffix to samples that lack it, writes timestamps in seconds and ends with `# EOF`.
 */
export function serialize(families: readonly MetricFamily[], format: Format): string {
  return format === "openmetrics-1.0.0" ? serializeOpenMetrics(families) : serializeText(families);
}
