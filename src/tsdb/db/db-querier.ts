import { compareStrings, type Matcher } from "../../model/index.js";
import { mergeSeriesSets, type Querier, type SelectHints, type SeriesSet } from "../../storage/index.js";

/**
 * Reads several queriers as one: series merged and sorted by labels (a sample present in several
 * sources is returned once), label names and values unioned. `onClose` runs once, after the
 * parts are closed, to unpin the blocks they read.
 */
export class MergedQuerier implements Querier {
  readonly #parts: readonly Querier[];
  readonly #onClose: () => Promise<void>;
  #closed = false;

  constructor(parts: readonly Querier[], onClose: () => Promise<void>) {
    this.#parts = parts;
    this.#onClose = onClose;
  }

  select(matchers: readonly Matcher[], hints?: SelectHints): SeriesSet {
    return mergeSeriesSets(this.#parts.map((q) => q.select(matchers, hints)));
  }

  async labelNames(matchers?: readonly Matcher[]): Promise<string[]> {
    return union(await Promise.all(this.#parts.map((q) => q.labelNames(matchers))));
  }

  async labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]> {
    return union(await Promise.all(this.#parts.map((q) => q.labelValues(name, matchers))));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await Promise.all(this.#parts.map((q) => q.close()));
    } finally {
      await this.#onClose();
    }
  }
}

function union(lists: readonly string[][]): string[] {
  if (lists.length === 1) return lists[0] as string[];
  return [...new Set(lists.flat())].sort(compareStrings);
}
