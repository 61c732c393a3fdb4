import { compareStrings, type Labels, type Matcher } from "../../model/index.js";
import { intersectPostings, mergePostings, subtractPostings, type Postings } from "../index/index.js";

/**
 * The head's inverted index: label name → value → sorted references of the series carrying that
 * pair (Prometheus's MemPostings). References are added in increasing order, so every list stays
 * sorted by appending; removal filters the touched lists in one pass.
 */
export class HeadIndex {
  readonly #byName = new Map<string, Map<string, number[]>>();
  #all: number[] = [];

  /**
   * Indexes a series. References normally arrive in increasing order (an append); WAL replay may
   * bring them slightly out of order, since series records are logged in commit order, not in
   * creation order, and those are inserted in place.
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

  /** Removes the given series from every list. */
  remove(series: readonly { readonly ref: number; readonly labels: Labels }[]): void {
    if (series.length === 0) return;
    const gone = new Set(series.map((s) => s.ref));
    this.#all = this.#all.filter((r) => !gone.has(r));
    const touched = new Map<string, Set<string>>();
    for (const { labels } of series) {
      for (let i = 0; i < labels.size; i++) {
        let vs = touched.get(labels.nameAt(i));
        if (vs === undefined) touched.set(labels.nameAt(i), (vs = new Set()));
        vs.add(labels.valueAt(i));
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

  /** Label names on at least one series, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort(compareStrings);
  }

  /** Values of `name` with their postings, unordered. */
  values(name: string): ReadonlyMap<string, Postings> {
    return this.#byName.get(name) ?? new Map<string, Postings>();
  }

  /**
   * References of the series matching every matcher, sorted by reference. A matcher that matches
   * the empty string also selects series without its label, so it subtracts the series whose
   * value it rejects (Prometheus's PostingsForMatchers); with only such matchers, it starts from
   * every series.
   */
  select(matchers: readonly Matcher[]): Postings {
    let result: Postings | undefined;
    const subtractive: Matcher[] = [];
    for (const m of matchers) {
      if (m.matches("")) {
        subtractive.push(m);
        continue;
      }
      const p = this.#postingsWhere(m, true);
      result = result === undefined ? p : intersectPostings(result, p);
      if (result.length === 0) return result;
    }
    result ??= this.#all;
    for (const m of subtractive) {
      result = subtractPostings(result, this.#postingsWhere(m, false));
      if (result.length === 0) break;
    }
    return result;
  }

  // Series whose value of m.name is present and does (accept) or does not (!accept) match m.
  #postingsWhere(m: Matcher, accept: boolean): Postings {
    const values = this.#byName.get(m.name);
    if (values === undefined) return [];
    if (accept && m.type === "=") return values.get(m.value) ?? [];
    const set = m.setMatches();
    if (accept && m.type === "=~" && set !== undefined) return mergePostings(set.map((v) => values.get(v) ?? []));
    const lists: Postings[] = [];
    for (const [v, list] of values) if (m.matches(v) === accept) lists.push(list);
    return mergePostings(lists);
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
