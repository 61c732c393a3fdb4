import type { Labels } from "../model/index.js";
import type { SampleIterator, Series, SeriesSet } from "./interface.js";
import { ArraySampleIterator, mergeIterators } from "./sample-iterators.js";

/** A series over copies of the given samples; pass a Float64Array to keep NaN payloads (stale markers). */
export function seriesFromSamples(labels: Labels, times: ArrayLike<number>, values: ArrayLike<number>): Series {
  // Plain JS arrays canonicalise NaN payloads, which would turn a stale marker into an ordinary NaN.
  const ts = Float64Array.from(times);
  const vs = values instanceof Float64Array ? values.slice() : Float64Array.from(values);
  return { labels, iterator: () => new ArraySampleIterator(ts, vs) };
}

/** A series set over a list of series, sorted here by labels so the SeriesSet contract holds. */
export function listSeriesSet(series: readonly Series[], warnings: readonly string[] = []): SeriesSet {
  const sorted = [...series].sort((a, b) => a.labels.compare(b.labels));
  let i = -1;
  return {
    next: () => ++i < sorted.length,
    at: () => sorted[i] as Series,
    warnings: () => warnings,
  };
}

/** The empty series set. */
export function emptySeriesSet(warnings: readonly string[] = []): SeriesSet {
  return { next: () => false, at: () => { throw new Error("empty series set has no current series"); }, warnings: () => warnings };
}

/**
 * Merges sorted series sets into one sorted set (a k-way merge by labels). Series with equal
 * labels in several sets become one series whose samples are merged by time, duplicates dropped
 * (the earliest-listed set wins), as Prometheus's `NewMergeSeriesSet` with `ChainedSeriesMerge`.
 */
export function mergeSeriesSets(sets: readonly SeriesSet[]): SeriesSet {
  if (sets.length === 1) return sets[0] as SeriesSet;
  const valid = sets.map(() => false);
  let started = false;
  let current: Series | undefined;
  return {
    next() {
      if (!started) {
        started = true;
        sets.forEach((s, i) => (valid[i] = s.next()));
      } else if (current !== undefined) {
        const last = current.labels;
        sets.forEach((s, i) => {
          if (valid[i] && s.at().labels.equals(last)) valid[i] = s.next();
        });
      }
      current = undefined;
      let min: Labels | undefined;
      sets.forEach((s, i) => {
        if (valid[i] && (min === undefined || s.at().labels.compare(min) < 0)) min = s.at().labels;
      });
      if (min === undefined) return false;
      const same: Series[] = [];
      sets.forEach((s, i) => {
        if (valid[i] && s.at().labels.equals(min as Labels)) same.push(s.at());
      });
      current = same.length === 1 ? same[0] : chainSeries(min, same);
      return true;
    },
    at() {
      if (current === undefined) throw new Error("series set is not positioned on a series");
      return current;
    },
    warnings() {
      return [...new Set(sets.flatMap((s) => s.warnings()))];
    },
  };
}

function chainSeries(labels: Labels, series: readonly Series[]): Series {
  return { labels, iterator: (): SampleIterator => mergeIterators(series.map((s) => s.iterator())) };
}
