/**
 * Set operations on postings lists: sorted, duplicate-free series IDs, as Prometheus's
 * index.Intersect, Merge and Without.
 */

/** A sorted list of series IDs without duplicates. */
export type Postings = readonly number[];

/** IDs in both lists. */
export function intersectPostings(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** IDs in `a` but not in `b`. */
export function subtractPostings(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as number) < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

/** IDs in any of the lists. */
export function mergePostings(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return [...(lists[0] as Postings)];
  const all = lists.flat().sort((x, y) => x - y);
  let n = 0;
  for (let i = 0; i < all.length; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i] as number;
  all.length = n;
  return all;
}
