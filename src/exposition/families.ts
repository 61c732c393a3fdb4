import { createParser } from "./create-parser.js";
import { formatFromContentType } from "./content-type.js";
import type { Exemplar, MetricFamily, MetricType, Sample } from "./types.js";

/** Sample-name suffixes that keep a sample in its family, by family type. */
const SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ["_total", "_created"],
  gauge: [],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
  summary: ["_count", "_sum", "_created"],
  info: ["_info"],
  stateset: [],
  untyped: [],
  unknown: [],
};

interface MutableFamily {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  samples: Sample[];
}

function belongs(sampleName: string, fam: MutableFamily): boolean {
  if (sampleName === fam.name) return true;
  if (!sampleName.startsWith(fam.name)) return false;
  const rest = sampleName.slice(fam.name.length);
  return SUFFIXES[fam.type].includes(rest);
}

/**
 * Parses a whole exposition body into metric families, choosing the format from `contentType` as
 * Prometheus does. Throws only ParseError. Samples join the family whose metadata or first sample
 * precedes them when their name is the family name or a suffix of its type (`_bucket`, `_total`, …);
 * any other sample starts a new family typed `untyped` (text) or `unknown` (OpenMetrics).
 */
export function parse(body: Uint8Array | string, contentType?: string): MetricFamily[] {
  const format = formatFromContentType(contentType);
  const p = createParser(body, format);
  const defaultType: MetricType = format === "openmetrics-1.0.0" ? "unknown" : "untyped";
  const out: MutableFamily[] = [];
  let cur: MutableFamily | undefined;
  const familyFor = (name: string): MutableFamily => {
    if (cur === undefined || cur.name !== name) {
      cur = { name, type: defaultType, samples: [] };
      out.push(cur);
    }
    return cur;
  };
  for (;;) {
    const e = p.next();
    if (e === "eof") break;
    switch (e) {
      case "type": {
        const f = familyFor(p.name());
        f.type = p.type();
        break;
      }
      case "help":
        familyFor(p.name()).help = p.help();
        break;
      case "unit":
        familyFor(p.name()).unit = p.unit();
        break;
      case "comment":
        break;
      case "series": {
        const labels = p.labels();
        const name = p.name();
        if (cur === undefined || !belongs(name, cur)) familyFor(name);
        const ts = p.timestampMs();
        const ex: Exemplar | undefined = p.exemplar();
        const sample: Sample =
          ex !== undefined
            ? ts !== undefined
              ? { labels, value: p.value(), timestampMs: ts, exemplar: ex }
              : { labels, value: p.value(), exemplar: ex }
            : ts !== undefined
              ? { labels, value: p.value(), timestampMs: ts }
              : { labels, value: p.value() };
        (cur as MutableFamily).samples.push(sample);
        break;
      }
    }
  }
  return out;
}
