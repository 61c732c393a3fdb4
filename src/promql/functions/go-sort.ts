/**
 * Go's `slices.SortFunc` (pattern-defeating quicksort, not stable), step for step. Prometheus's
 * sort_by_label uses it with a comparator that is not a total order (an absent label compares as
 * greater in both directions), so the result depends on the algorithm; sorting the same input
 * with this function gives Prometheus's order.
 */

type Cmp<T> = (a: T, b: T) => number;

const INCREASING = 1;
const DECREASING = 2;
const UNKNOWN = 0;

/** Sorts `data` in place exactly as Go's slices.SortFunc(data, cmp) would. */
export function goSortFunc<T>(data: T[], cmp: Cmp<T>): void {
  pdqsort(data, 0, data.length, bitLength(data.length), cmp);
}

function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

function swap<T>(data: T[], i: number, j: number): void {
  const t = data[i] as T;
  data[i] = data[j] as T;
  data[j] = t;
}

function less<T>(data: T[], i: number, j: number, cmp: Cmp<T>): boolean {
  return cmp(data[i] as T, data[j] as T) < 0;
}

function insertionSort<T>(data: T[], a: number, b: number, cmp: Cmp<T>): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && less(data, j, j - 1, cmp); j--) swap(data, j, j - 1);
  }
}

function siftDown<T>(data: T[], lo: number, hi: number, first: number, cmp: Cmp<T>): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && less(data, first + child, first + child + 1, cmp)) child++;
    if (!less(data, first + root, first + child, cmp)) return;
    swap(data, first + root, first + child);
    root = child;
  }
}

function heapSort<T>(data: T[], a: number, b: number, cmp: Cmp<T>): void {
  const first = a;
  const hi = b - a;
  for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(data, i, hi, first, cmp);
  for (let i = hi - 1; i >= 0; i--) {
    swap(data, first, first + i);
    siftDown(data, 0, i, first, cmp);
  }
}

function pdqsort<T>(data: T[], a: number, b: number, limit: number, cmp: Cmp<T>): void {
  const maxInsertion = 12;
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= maxInsertion) {
      insertionSort(data, a, b, cmp);
      return;
    }
    if (limit === 0) {
      heapSort(data, a, b, cmp);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(data, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(data, a, b, cmp);
    if (hint === DECREASING) {
      reverseRange(data, a, b);
      pivot = b - 1 - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING && partialInsertionSort(data, a, b, cmp)) return;
    if (a > 0 && !less(data, a - 1, pivot, cmp)) {
      a = partitionEqual(data, a, b, pivot, cmp);
      continue;
    }
    const [mid, alreadyPartitioned] = partition(data, a, b, pivot, cmp);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = Math.floor(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(data, a, mid, limit, cmp);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(data, mid + 1, b, limit, cmp);
      b = mid;
    }
  }
}

function partition<T>(data: T[], a: number, b: number, pivot: number, cmp: Cmp<T>): [number, boolean] {
  swap(data, a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && less(data, i, a, cmp)) i++;
  while (i <= j && !less(data, j, a, cmp)) j--;
  if (i > j) {
    swap(data, j, a);
    return [j, true];
  }
  swap(data, i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && less(data, i, a, cmp)) i++;
    while (i <= j && !less(data, j, a, cmp)) j--;
    if (i > j) break;
    swap(data, i, j);
    i++;
    j--;
  }
  swap(data, j, a);
  return [j, false];
}

function partitionEqual<T>(data: T[], a: number, b: number, pivot: number, cmp: Cmp<T>): number {
  swap(data, a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !less(data, a, i, cmp)) i++;
    while (i <= j && less(data, a, j, cmp)) j--;
    if (i > j) break;
    swap(data, i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort<T>(data: T[], a: number, b: number, cmp: Cmp<T>): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !less(data, i, i - 1, cmp)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    swap(data, i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!less(data, j, j - 1, cmp)) break;
        swap(data, j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!less(data, j, j - 1, cmp)) break;
        swap(data, j, j - 1);
      }
    }
  }
  return false;
}

const MASK_64 = (1n << 64n) - 1n;

function breakPatterns<T>(data: T[], a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length);
  const modulus = BigInt(2 ** bitLength(length));
  const mid = a + Math.floor(length / 4) * 2;
  for (let idx = mid - 1; idx <= mid + 1; idx++) {
    random ^= (random << 13n) & MASK_64;
    random ^= random >> 7n;
    random ^= (random << 17n) & MASK_64;
    let other = Number(random & (modulus - 1n));
    if (other >= length) other -= length;
    swap(data, idx, a + other);
  }
}

function choosePivot<T>(data: T[], a: number, b: number, cmp: Cmp<T>): [number, number] {
  const shortestNinther = 50;
  const maxSwaps = 4 * 3;
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.floor(l / 4);
  let j = a + Math.floor(l / 4) * 2;
  let k = a + Math.floor(l / 4) * 3;
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = median(data, i - 1, i, i + 1, swaps, cmp);
      j = median(data, j - 1, j, j + 1, swaps, cmp);
      k = median(data, k - 1, k, k + 1, swaps, cmp);
    }
    j = median(data, i, j, k, swaps, cmp);
  }
  if (swaps.n === 0) return [j, INCREASING];
  if (swaps.n === maxSwaps) return [j, DECREASING];
  return [j, UNKNOWN];
}

/** The index of the median of data[a], data[b], data[c], counting the swaps Go's order2 would make. */
function median<T>(data: T[], a: number, b: number, c: number, swaps: { n: number }, cmp: Cmp<T>): number {
  if (less(data, b, a, cmp)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  if (less(data, c, b, cmp)) {
    swaps.n++;
    b = c;
  }
  if (less(data, b, a, cmp)) {
    swaps.n++;
    b = a;
  }
  return b;
}

function reverseRange<T>(data: T[], a: number, b: number): void {
  let i = a;
  let j = b - 1;
  while (i < j) {
    swap(data, i, j);
    i++;
    j--;
  }
}
