/**
 * The two formats `/federate` answers in, chosen from the Accept header as Prometheus 3's
 * `expfmt.Negotiate` chooses: delimited protobuf `MetricFamily` messages when asked for, text
 * 0.0.4 otherwise. Names that are not legacy-valid are escaped with underscores, the escaping
 * Prometheus 3 applies by default and announces in the Content-Type.
 *
 * Labels are written in the order given, empty values included (`instance=""` is how federation
 * says "no instance"); that is why this does not go through the exposition serializer, whose
 * label sets drop empty values and reorder names.
 */
import { formatGoFloat } from "../exposition/index.js";
import { isValidLegacyMetricName } from "../model/index.js";

/** One federated series: its labels without the metric name, in output order, and its sample. */
export interface FederatedMetric {
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
  readonly timestampMs: number;
}

/** An untyped family of federated series sharing a metric name. */
export interface FederatedFamily {
  readonly name: string;
  readonly metrics: readonly FederatedMetric[];
}

/** A negotiated answer format. */
export interface FederationFormat {
  /** The Content-Type header value, as Prometheus sends it. */
  readonly contentType: string;
  /** Encodes families, in order, as the body. */
  encode(families: readonly FederatedFamily[]): Buffer;
}

const ESCAPING = "; escaping=underscores";
const PROTO_TYPE = "application/vnd.google.protobuf";
const PROTO_PROTOCOL = "io.prometheus.client.MetricFamily";

/** The text 0.0.4 format, Prometheus's answer unless the client asks for delimited protobuf. */
export const TEXT_FORMAT: FederationFormat = {
  contentType: `text/plain; version=0.0.4; charset=utf-8${ESCAPING}`,
  encode: (families) => Buffer.from(families.map(textFamily).join("")),
};

const PROTO_FORMAT: FederationFormat = {
  contentType: `${PROTO_TYPE}; proto=${PROTO_PROTOCOL}; encoding=delimited${ESCAPING}`,
  encode: (families) => Buffer.concat(families.map(protoFamily)),
};

/**
 * The format for an Accept header: the first acceptable entry by quality wins; delimited
 * protobuf and `text/plain` (version 0.0.4 or none) are acceptable, anything else falls through
 * to text.
 */
export function negotiateFormat(accept: string | undefined): FederationFormat {
  for (const entry of parseAccept(accept ?? "")) {
    if (entry.type === PROTO_TYPE && entry.params.get("proto") === PROTO_PROTOCOL && entry.params.get("encoding") === "delimited") return PROTO_FORMAT;
    const version = entry.params.get("version") ?? "";
    if (entry.type === "text/plain" && (version === "" || version === "0.0.4")) return TEXT_FORMAT;
  }
  return TEXT_FORMAT;
}

interface AcceptEntry {
  readonly type: string;
  readonly q: number;
  readonly params: ReadonlyMap<string, string>;
}

// goautoneg's ParseAccept: comma-separated media ranges with `;`-separated parameters, ordered
// by quality, then concrete types before wildcards.
function parseAccept(header: string): AcceptEntry[] {
  const out: AcceptEntry[] = [];
  for (const part of header.split(",")) {
    const [mediaRange = "", ...rest] = part.split(";").map((s) => s.trim());
    if (!mediaRange.includes("/")) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim();
      const value = p.slice(eq + 1).trim();
      if (key === "q") q = Number(value) || 0;
      else params.set(key, value);
    }
    out.push({ type: mediaRange, q, params });
  }
  const wildcard = (e: AcceptEntry) => (e.type.startsWith("*/") ? 2 : e.type.endsWith("/*") ? 1 : 0);
  return out.sort((a, b) => b.q - a.q || wildcard(a) - wildcard(b));
}

/** A name as Prometheus 3's underscore escaping writes it: each character outside the legacy set becomes `_`. */
export function escapeName(name: string): string {
  if (isValidLegacyMetricName(name)) return name;
  let out = "";
  let i = 0;
  for (const ch of name) {
    out += /[a-zA-Z_:]/.test(ch) || (i > 0 && /[0-9]/.test(ch)) ? ch : "_";
    i += Buffer.byteLength(ch);
  }
  return out;
}

function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

function textFamily(f: FederatedFamily): string {
  const name = escapeName(f.name);
  let out = `# TYPE ${name} untyped\n`;
  for (const m of f.metrics) {
    const labels = m.labels.map(([n, v]) => `${escapeName(n)}="${escapeLabelValue(v)}"`).join(",");
    out += `${name}${labels === "" ? "" : `{${labels}}`} ${formatGoFloat(m.value)} ${m.timestampMs}\n`;
  }
  return out;
}

// io.prometheus.client.MetricFamily: name = 1, type = 3 (UNTYPED = 3), metric = 4; Metric:
// label = 1 (LabelPair: name = 1, value = 2), untyped = 5 (Untyped: value = 1), timestamp_ms = 6.
function protoFamily(f: FederatedFamily): Buffer {
  const w = new ProtoWriter();
  w.string(1, escapeName(f.name));
  w.varintField(3, 3n);
  for (const m of f.metrics) {
    const metric = new ProtoWriter();
    for (const [n, v] of m.labels) {
      const pair = new ProtoWriter();
      pair.string(1, escapeName(n));
      pair.string(2, v);
      metric.bytes(1, pair.finish());
    }
    const untyped = new ProtoWriter();
    untyped.double(1, m.value);
    metric.bytes(5, untyped.finish());
    metric.varintField(6, BigInt.asUintN(64, BigInt(m.timestampMs)));
    w.bytes(4, metric.finish());
  }
  const body = w.finish();
  const prefix = new ProtoWriter();
  prefix.varint(BigInt(body.length));
  return Buffer.concat([prefix.finish(), body]);
}

// Just enough protobuf wire format for the messages above.
class ProtoWriter {
  readonly #parts: Buffer[] = [];

  varint(v: bigint): void {
    const bytes: number[] = [];
    let x = v;
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      bytes.push(b);
    } while (x > 0n);
    this.#parts.push(Buffer.from(bytes));
  }

  varintField(field: number, v: bigint): void {
    this.varint(BigInt(field << 3));
    this.varint(v);
  }

  bytes(field: number, data: Buffer): void {
    this.varint(BigInt((field << 3) | 2));
    this.varint(BigInt(data.length));
    this.#parts.push(data);
  }

  string(field: number, s: string): void {
    this.bytes(field, Buffer.from(s, "utf8"));
  }

  double(field: number, v: number): void {
    this.varint(BigInt((field << 3) | 1));
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.#parts.push(b);
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }
}
