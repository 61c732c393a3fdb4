/**
 * Postings lists: sorted, duplicate-free arrays of series references, and the set operations that
 * answer label matchers over them (as Prometheus's index.Intersect/Merge/Without).
 */

/** A sorted list of series references without duplicates. */
export type Postings = readonly number[];

/** References in both lists. */
export function intersect(a: Postings, b: Postings): number[] {
  // Galloping would help very unequal sizes; a linear merge is enough for an in-memory index.
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

/** References in `a` that are not in `b`. */
export function subtract(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as number) < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

/** References in any of the lists. */
export function union(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return [...(lists[0] as Postings)];
  // Concatenate and sort: simpler than a heap and as fast for the list counts matchers produce.
  const all: number[] = [];
  for (const l of lists) for (const x of l) all.push(x);
  all.sort((x, y) => x - y);
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i] as number;
  all.length = n;
  return all;
}
