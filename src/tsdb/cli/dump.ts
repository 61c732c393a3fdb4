import { parseSeriesSelector, SelectorParseError } from "../../api/index.js";
import { formatGoFloat } from "../../exposition/index.js";
import { goQuote, type Labels } from "../../model/index.js";
import { mergeSeriesSets, type SeriesSet } from "../../storage/index.js";
import { BlockReader } from "../block/index.js";
import { findBlocks } from "./data-dir.js";
import { TsdbToolError, wrapToolError } from "./errors.js";
import { LineBuffer, type TextSink } from "./output.js";

/** promtool's default `--match`: every series. */
export const DUMP_ALL_SERIES = "{__name__=~'(?s:.*)'}";

/** Options of dumpSamples. */
export interface DumpOptions {
  readonly dataDir: string;
  /** Earliest sample time to print (ms, inclusive). */
  readonly mint: number;
  /** Latest sample time to print (ms, inclusive). */
  readonly maxt: number;
  /** A PromQL series selector. */
  readonly selector: string;
  readonly out: TextSink;
  readonly signal?: AbortSignal;
}

/**
 * Prints every sample in the blocks of `dataDir` that the selector matches within [mint, maxt] as
 * `promtool tsdb dump` does: one `{labels} value timestamp` line per sample, series in label order,
 * the blocks of a series merged by time (a sample in several blocks is printed once). The head
 * (WAL) is not read. A selector without matchers (`{}`) selects nothing, as in promtool 2.42.
 */
export async function dumpSamples(options: DumpOptions): Promise<void> {
  const { mint, maxt, signal } = options;
  const entries = (await findBlocks(options.dataDir, signal)).filter((b) => b.meta.minTime <= maxt && mint < b.meta.maxTime);
  const readers: BlockReader[] = [];
  try {
    for (const b of entries) {
      try {
        readers.push(await BlockReader.open(b.dir, signal === undefined ? {} : { signal }));
      } catch (err) {
        throw wrapToolError(`open block ${b.dir}`, err);
      }
    }
    // promtool opens the database before it parses the selector, so a missing directory wins.
    let matchers;
    try {
      matchers = parseSeriesSelector(options.selector);
    } catch (err) {
      if (err instanceof SelectorParseError) throw new TsdbToolError(err.message, { cause: err });
      throw err;
    }
    if (matchers.length === 0) return;
    const set = mergeSeriesSets(readers.map((r) => r.querier(mint, maxt).select(matchers)));
    await printSeriesSet(set, options.out, signal);
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

async function printSeriesSet(set: SeriesSet, out: TextSink, signal?: AbortSignal): Promise<void> {
  const lines = new LineBuffer(out);
  while (set.next()) {
    signal?.throwIfAborted();
    const series = set.at();
    const labels = formatLabels(series.labels);
    const it = series.iterator();
    while (it.next()) await lines.line(`${labels} ${formatGoFloat(it.value())} ${it.at()}`);
  }
  await lines.flush();
}

/**
 * Labels as Prometheus 2.42's `labels.Labels.String()`: `{a="1", b="2"}`, values quoted as Go's
 * strconv.Quote, names never quoted (2.42 knew only legacy names).
 */
export function formatLabels(labels: Labels): string {
  const parts: string[] = [];
  for (const { name, value } of labels) parts.push(`${name}=${goQuote(value)}`);
  return `{${parts.join(", ")}}`;
}
