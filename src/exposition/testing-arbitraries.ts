import fc from "fast-check";
import { Labels } from "../model/index.js";
import type { Exemplar, Format, MetricFamily, MetricType, Sample } from "./types.js";

// Test-only generators shared by the round-trip and promtool tests.

/** Whether `s` has no lone surrogates (String#isWellFormed is not in our TypeScript lib). */
function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

const WORDS = ["http", "requests", "disk", "cpu", "queue", "cache", "rpc", "db", "jobs", "net"];

/** Conventional snake_case metric names (promtool lint stays quiet about them). */
const baseName = fc
  .tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS), fc.nat({ max: 999 }))
  .map(([a, b, n]) => `${a}_${b}_${n}`);

const labelName = fc.constantFrom("code", "method", "path", "instance_id", "zone", "shard", "tenant", "a_b");

/** Valid Unicode (no lone surrogates), biased towards the characters escaping has to get right. */
const trickyString = fc
  .array(
    fc.oneof(
      fc.constantFrom("\\", '"', "\n", "\\n", "\\\\", "{", "}", ",", "=", " ", "#", "é", "✓", "😀", "\t", "\r"),
      fc.string({ unit: "binary", maxLength: 6 }).filter((s) => wellFormed(s) && !s.includes("\0")),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(""));

const labelValue = trickyString.filter((s) => s !== "");

/** Non-empty help that is not all blanks (text 0.0.4 cannot carry blank-only help). */
const helpText = trickyString.filter((s) => s === "" || /[^ \t]/.test(s));

const floatValue = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e6, 1e-5, 123456, 0.1, 1e21),
  fc.integer({ min: -1e9, max: 1e9 }),
);

function labelsOf(name: string, pairs: readonly [string, string][]): Labels {
  return Labels.fromPairs([["__name__", name], ...pairs]);
}

/** Distinct label sets for the series of one family. */
const seriesLabels = fc.uniqueArray(fc.array(fc.tuple(labelName, labelValue), { maxLength: 3 }), {
  minLength: 1,
  maxLength: 3,
  selector: (pairs) => Labels.fromPairs(pairs).toString(),
});

interface GenOptions {
  format: Format;
  /** Exemplars, units and timestamps (round-trip only; promtool sees plain families). */
  extras: boolean;
}

function timestamp(format: Format) {
  return format === "openmetrics-1.0.0"
    ? fc.integer({ min: -1e13, max: 1e13 })
    : fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
}

function sampleArb(name: string, pairs: [string, string][], value: fc.Arbitrary<number>, o: GenOptions, exemplar: boolean): fc.Arbitrary<Sample> {
  const ts = o.extras ? fc.option(timestamp(o.format), { nil: undefined }) : fc.constant(undefined);
  const ex: fc.Arbitrary<Exemplar | undefined> =
    exemplar && o.extras && o.format === "openmetrics-1.0.0"
      ? fc.option(
          fc.record({
            labels: fc.array(fc.tuple(fc.constantFrom("trace_id", "span_id"), fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 1, maxLength: 16 })), { maxLength: 2 }),
            value: floatValue,
            ts: fc.option(timestamp(o.format), { nil: undefined }),
          }).map(({ labels, value, ts }) => {
            const l = Labels.fromPairs(labels);
            return ts === undefined ? { labels: l, value } : { labels: l, value, timestampMs: ts };
          }),
          { nil: undefined },
        )
      : fc.constant(undefined);
  return fc.tuple(value, ts, ex).map(([v, t, e]) => {
    const labels = labelsOf(name, pairs);
    const s: { labels: Labels; value: number; timestampMs?: number; exemplar?: Exemplar } = { labels, value: v };
    if (t !== undefined) s.timestampMs = t;
    if (e !== undefined) s.exemplar = e;
    return s;
  });
}

const nonNegative = fc.oneof(fc.double({ min: 0, noNaN: true }), fc.integer({ min: 0, max: 1e9 }));

function familyArb(o: GenOptions, type: MetricType, name: string): fc.Arbitrary<Omit<MetricFamily, "help">> {
  const om = o.format === "openmetrics-1.0.0";
  return seriesLabels.chain((sets) => {
    const per: fc.Arbitrary<Sample[]>[] = sets.map((pairs) => {
      switch (type) {
        case "counter": {
          const total = sampleArb(om ? `${name}_total` : name, pairs, nonNegative, o, true);
          if (!om || !o.extras) return total.map((s) => [s]);
          return fc.tuple(total, fc.option(sampleArb(`${name}_created`, pairs, nonNegative, o, false), { nil: undefined })).map(([t, c]) => (c ? [t, c] : [t]));
        }
        case "histogram":
        case "gaugehistogram": {
          const [c, s] = type === "histogram" ? ["_count", "_sum"] : ["_gcount", "_gsum"];
          return fc.tuple(
            ...["0.1", "1", "+Inf"].map((le) => sampleArb(`${name}_bucket`, [...pairs, ["le", le]], nonNegative, o, true)),
            sampleArb(`${name}${c}`, pairs, nonNegative, o, false),
            sampleArb(`${name}${s}`, pairs, floatValue, o, false),
          );
        }
        case "summary":
          return fc.tuple(
            ...["0.5", "0.99"].map((q) => sampleArb(name, [...pairs, ["quantile", q]], floatValue, o, false)),
            sampleArb(`${name}_count`, pairs, nonNegative, o, false),
            sampleArb(`${name}_sum`, pairs, floatValue, o, false),
          );
        case "info":
          return sampleArb(`${name}_info`, pairs, fc.constant(1), o, false).map((s) => [s]);
        case "stateset":
          return sampleArb(name, [...pairs, [name, "on"]], fc.constantFrom(0, 1), o, false).map((s) => [s]);
        default:
          return sampleArb(name, pairs, floatValue, o, false).map((s) => [s]);
      }
    });
    return fc.tuple(...per).map((groups) => ({ name, type, samples: groups.flat() }));
  });
}

/** Metric families valid for `format`, with unique names, as `parse(serialize(x))` must return them. */
export function familiesArb(o: GenOptions, maxFamilies = 6, minFamilies = 1): fc.Arbitrary<MetricFamily[]> {
  const om = o.format === "openmetrics-1.0.0";
  const types: MetricType[] = om
    ? ["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"]
    : ["counter", "gauge", "histogram", "summary", "untyped"];
  return fc
    .uniqueArray(baseName, { minLength: minFamilies, maxLength: maxFamilies })
    .chain((names) =>
      fc.tuple(
        ...names.map((n, i) =>
          fc.tuple(fc.constantFrom(...types), o.extras ? fc.option(helpText, { nil: undefined }) : helpText.filter((h) => /[^ \t]/.test(h)), fc.boolean()).chain(([type, help, unit]) => {
            // Text counters carry `_total` in the family name; OpenMetrics ones do not.
            let name = `${n}_${i}`;
            if (!om && type === "counter") name += "_total";
            const withUnit = om && o.extras && unit;
            if (withUnit) name += "_bytes";
            return familyArb(o, type, name).map((f) => {
              const out: { name: string; type: MetricType; help?: string; unit?: string; samples: readonly Sample[] } = { ...f };
              if (help !== undefined) out.help = help;
              if (withUnit) out.unit = "bytes";
              return out as MetricFamily;
            });
          }),
        ),
      ),
    );
}
