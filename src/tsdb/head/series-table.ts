import type { HeadSeries } from "./head-series.js";

// References per page: 4096 slots of 8 bytes, so a page is 32 KiB.
const PAGE_SIZE = 4096;
// Pages past this index (references of 2^32 and more, which only a foreign WAL could bring) are
// kept in a map, since array indexes stop at 2^32 - 2.
const MAX_ARRAY_PAGE = 2 ** 20;

type Page = (HeadSeries | undefined)[] & { live: number };

/**
 * The head's series by reference. References are small integers handed out in increasing order,
 * so a paged array finds a series with two indexed loads where a hash map of a million entries
 * costs a hash and several cache misses on every appended sample. A page goes once all its series
 * are gone, so churn does not keep memory for references no longer used.
 */
export class SeriesTable {
  readonly #pages: (Page | undefined)[] = [];
  readonly #far = new Map<number, Page>();
  #size = 0;

  /** Number of series held. */
  get size(): number {
    return this.#size;
  }

  /** The series with reference `ref`, if held. */
  get(ref: number): HeadSeries | undefined {
    const p = Math.floor(ref / PAGE_SIZE);
    const page = p < MAX_ARRAY_PAGE ? this.#pages[p] : this.#far.get(p);
    return page === undefined ? undefined : page[ref - p * PAGE_SIZE];
  }

  /** Whether a series with reference `ref` is held. */
  has(ref: number): boolean {
    return this.get(ref) !== undefined;
  }

  /** Holds `s` under its reference, replacing any series held there. */
  set(s: HeadSeries): void {
    const p = Math.floor(s.ref / PAGE_SIZE);
    let page = p < MAX_ARRAY_PAGE ? this.#pages[p] : this.#far.get(p);
    if (page === undefined) {
      page = Object.assign(new Array<HeadSeries | undefined>(PAGE_SIZE).fill(undefined), { live: 0 });
      if (p < MAX_ARRAY_PAGE) this.#pages[p] = page;
      else this.#far.set(p, page);
    }
    const i = s.ref - p * PAGE_SIZE;
    if (page[i] === undefined) {
      page.live++;
      this.#size++;
    }
    page[i] = s;
  }

  /** Drops the series with reference `ref`, if held. */
  delete(ref: number): void {
    const p = Math.floor(ref / PAGE_SIZE);
    const page = p < MAX_ARRAY_PAGE ? this.#pages[p] : this.#far.get(p);
    const i = ref - p * PAGE_SIZE;
    if (page === undefined || page[i] === undefined) return;
    page[i] = undefined;
    this.#size--;
    if (--page.live > 0) return;
    if (p < MAX_ARRAY_PAGE) this.#pages[p] = undefined;
    else this.#far.delete(p);
  }

  /** Every series held, by increasing reference. */
  *values(): Generator<HeadSeries> {
    for (const page of this.#pages) if (page !== undefined) yield* live(page);
    for (const p of [...this.#far.keys()].sort((a, b) => a - b)) yield* live(this.#far.get(p) as Page);
  }
}

function* live(page: Page): Generator<HeadSeries> {
  for (const s of page) if (s !== undefined) yield s;
}
