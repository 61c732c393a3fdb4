/**
 * The head's cardinality statistics of `/api/v1/status/tsdb`, computed as Prometheus's
 * `MemPostings.Stats` does from the head's label index, here from the head's label sets.
 */
import { METRIC_NAME, compareStrings, type Labels } from "../model/index.js";

/** One entry of a top list: a label name, metric name or `name=value` pair and its count. */
export interface TsdbStat {
  readonly name: string;
  readonly value: number;
}

/** The top lists of `/api/v1/status/tsdb`, each sorted by count (descending) and cut to a limit. */
export interface Cardinality {
  /** Distinct label name/value pairs in the head. */
  readonly numLabelPairs: number;
  /** Series per metric name. */
  readonly seriesCountByMetricName: readonly TsdbStat[];
  /** Distinct values per label name. */
  readonly labelValueCountByLabelName: readonly TsdbStat[];
  /** Bytes of the distinct values per label name. */
  readonly memoryInBytesByLabelName: readonly TsdbStat[];
  /** Series per `name=value` pair. */
  readonly seriesCountByLabelValuePair: readonly TsdbStat[];
}

/** Counts the label pairs of series added one at a time, as the head's postings index holds them. */
export class CardinalityCounter {
  readonly #byName = new Map<string, Map<string, number>>();

  /** Counts one series. */
  add(labels: Labels): void {
    for (const { name, value } of labels) {
      let values = this.#byName.get(name);
      if (values === undefined) {
        values = new Map();
        this.#byName.set(name, values);
      }
      values.set(value, (values.get(value) ?? 0) + 1);
    }
  }

  /** The statistics so far, keeping the `limit` largest entries of each list. */
  result(limit: number): Cardinality {
    return cardinality(this.#byName, limit);
  }
}

function cardinality(byName: ReadonlyMap<string, ReadonlyMap<string, number>>, limit: number): Cardinality {
  const metrics: TsdbStat[] = [];
  const valueCounts: TsdbStat[] = [];
  const bytes: TsdbStat[] = [];
  const pairs: TsdbStat[] = [];
  let numLabelPairs = 0;
  for (const [name, values] of byName) {
    valueCounts.push({ name, value: values.size });
    let size = 0;
    for (const [value, count] of values) {
      if (name === METRIC_NAME) metrics.push({ name: value, value: count });
      pairs.push({ name: `${name}=${value}`, value: count });
      size += Buffer.byteLength(value);
    }
    bytes.push({ name, value: size });
    numLabelPairs += values.size;
  }
  return {
    numLabelPairs,
    seriesCountByMetricName: top(metrics, limit),
    labelValueCountByLabelName: top(valueCounts, limit),
    memoryInBytesByLabelName: top(bytes, limit),
    seriesCountByLabelValuePair: top(pairs, limit),
  };
}

// Prometheus keeps the largest counts in a heap, so ties come out in no set order; by name here.
function top(stats: TsdbStat[], limit: number): TsdbStat[] {
  return stats.sort((a, b) => b.value - a.value || compareStrings(a.name, b.name)).slice(0, limit);
}
