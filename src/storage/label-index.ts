import { compareStrings, type Labels, type Matcher } from "../model/index.js";
import { intersect, subtract, union, type Postings } from "./postings.js";

/**
 * An inverted index from label name and value to the sorted references of the series carrying
 * that pair, as the postings part of Prometheus's head index. References must be added in
 * increasing order, which keeps every list sorted without re-sorting.
 */
export class LabelIndex {
  readonly #byName = new Map<string, Map<string, number[]>>();
  #all: number[] = [];

  /**
   * Indexes a series. References normally arrive in increasing order and are appended; a TSDB's
   * WAL replay may bring them slightly out of order (series records are logged in commit order),
   * and those are inserted in place.
   */
  add(ref: number, labels: Labels): void {
    insertSorted(this.#all, ref);
    for (let i = 0; i < labels.size; i++) {
      const name = labels.nameAt(i);
      let values = this.#byName.get(name);
      if (values === undefined) this.#byName.set(name, (values = new Map()));
      const list = values.get(labels.valueAt(i));
      if (list === undefined) values.set(labels.valueAt(i), [ref]);
      else insertSorted(list, ref);
    }
  }

  /** Drops the given series from every list they are on. */
  remove(series: readonly { readonly ref: number; readonly labels: Labels }[]): void {
    if (series.length === 0) return;
    const gone = new Set(series.map((s) => s.ref));
    this.#all = this.#all.filter((r) => !gone.has(r));
    const touched = new Map<string, Set<string>>();
    for (const { labels } of series) {
      for (const { name, value } of labels) {
        let vs = touched.get(name);
        if (vs === undefined) touched.set(name, (vs = new Set()));
        vs.add(value);
      }
    }
    for (const [name, vs] of touched) {
      const values = this.#byName.get(name);
      if (values === undefined) continue;
      for (const v of vs) {
        const kept = (values.get(v) ?? []).filter((r) => !gone.has(r));
        if (kept.length === 0) values.delete(v);
        else values.set(v, kept);
      }
      if (values.size === 0) this.#byName.delete(name);
    }
  }

  /** Every indexed reference, sorted. */
  all(): Postings {
    return this.#all;
  }

  /** Label names present on at least one series, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort(compareStrings);
  }

  /** Values of `name` paired with their postings, in no particular order. */
  values(name: string): ReadonlyMap<string, Postings> {
    return this.#byName.get(name) ?? new Map<string, Postings>();
  }

  /**
   * References of series matching every matcher, sorted. A matcher that matches the empty string
   * also selects series without its label, so it is applied by subtracting the series whose value
   * it rejects instead of by collecting the values it accepts (Prometheus's PostingsForMatchers).
   */
  select(matchers: readonly Matcher[]): Postings {
    let result: Postings | undefined;
    const subtractive: Matcher[] = [];
    for (const m of matchers) {
      if (m.matches("")) {
        subtractive.push(m);
        continue;
      }
      const p = this.#postingsFor(m, true);
      result = result === undefined ? p : intersect(result, p);
      if (result.length === 0) return result;
    }
    result ??= this.#all;
    for (const m of subtractive) {
      result = subtract(result, this.#postingsFor(m, false));
      if (result.length === 0) break;
    }
    return result;
  }

  // Series whose value of m.name is present and does (accept=true) or does not (false) match m.
  #postingsFor(m: Matcher, accept: boolean): Postings {
    const values = this.#byName.get(m.name);
    if (values === undefined) return [];
    if (accept && m.type === "=") return values.get(m.value) ?? [];
    const set = m.setMatches();
    if (accept && m.type === "=~" && set !== undefined) return union(set.map((v) => values.get(v) ?? []));
    const lists: Postings[] = [];
    for (const [v, list] of values) if (m.matches(v) === accept) lists.push(list);
    return union(lists);
  }

  /**
   * Sorted label names of the series matching `matchers`; `live` keeps only the series a querier
   * may see (its time range) and yields them with their labels.
   */
  labelNames(matchers: readonly Matcher[], live: (postings: Postings) => Iterable<{ readonly labels: Labels }>): string[] {
    const names = new Set<string>();
    for (const s of live(this.select(matchers))) for (const n of s.labels.names()) names.add(n);
    return [...names].sort(compareStrings);
  }

  /** Sorted values of `name` over the series matching `matchers` that `live` keeps. */
  labelValues(name: string, matchers: readonly Matcher[], live: (postings: Postings) => Iterable<{ readonly labels: Labels }>): string[] {
    const out: string[] = [];
    if (matchers.length === 0) {
      // Without matchers, a value counts as soon as one of its series is visible.
      for (const [value, postings] of this.values(name)) {
        for (const _ of live(postings)) {
          out.push(value);
          break;
        }
      }
    } else {
      const values = new Set<string>();
      for (const s of live(this.select(matchers))) {
        const v = s.labels.get(name);
        if (v !== "") values.add(v);
      }
      out.push(...values);
    }
    return out.sort(compareStrings);
  }
}

function insertSorted(list: number[], ref: number): void {
  if (list.length === 0 || (list[list.length - 1] as number) < ref) {
    list.push(ref);
    return;
  }
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < ref) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== ref) list.splice(lo, 0, ref);
}
