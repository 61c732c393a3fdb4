import { hashLabelPairs } from "./hash.js";
import { goQuote } from "./quote.js";
import { METRIC_NAME, needsQuoting } from "./validation.js";

export { METRIC_NAME };

/** One label pair. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/**
 * An immutable set of labels sorted by name, with unique names and no empty values
 * (Prometheus treats an empty value as an absent label, so construction drops them).
 * Labels identify a series: two series are the same exactly when `equals` holds.
 */
export class Labels implements Iterable<Label> {
  /** The empty label set. */
  static readonly EMPTY = new Labels([], []);

  readonly #names: string[];
  readonly #values: string[];
  #hash: bigint | undefined;

  // Takes ownership of the arrays, which must already hold a valid sorted set.
  private constructor(names: string[], values: string[]) {
    this.#names = names;
    this.#values = values;
  }

  static #fromSortedPairs(pairs: readonly Label[]): Labels {
    return new Labels(
      pairs.map((l) => l.name),
      pairs.map((l) => l.value),
    );
  }

  /** Builds labels from pairs in any order; a later duplicate name replaces an earlier one. */
  static fromPairs(pairs: Iterable<Label | readonly [string, string]>): Labels {
    const byName = new Map<string, string>();
    for (const p of pairs) {
      const [name, value] = Array.isArray(p) ? (p as readonly [string, string]) : [(p as Label).name, (p as Label).value];
      byName.set(name, value);
    }
    const sorted: Label[] = [];
    for (const [name, value] of byName) if (value !== "") sorted.push({ name, value });
    sorted.sort((a, b) => compareStrings(a.name, b.name));
    return Labels.#fromSortedPairs(sorted);
  }

  /** Builds labels from a plain object. */
  static fromRecord(record: Readonly<Record<string, string>>): Labels {
    return Labels.fromPairs(Object.entries(record));
  }

  /**
   * Wraps pairs the caller guarantees are sorted by name, unique and with non-empty values.
   * Hot paths (parsers, TSDB readers) use it to skip the sort.
   */
  static fromSortedUnchecked(pairs: readonly Label[]): Labels {
    return Labels.#fromSortedPairs(pairs);
  }

  /**
   * Wraps parallel arrays of names and values under the same guarantees as `fromSortedUnchecked`,
   * taking ownership of them: the caller must not change them afterwards. Parsers use it to build
   * label sets without a pair object per label.
   */
  static fromSortedArraysUnchecked(names: string[], values: string[]): Labels {
    if (names.length !== values.length) throw new RangeError(`${names.length} label names but ${values.length} values`);
    return new Labels(names, values);
  }

  /** Number of labels. */
  get size(): number {
    return this.#names.length;
  }

  /** The value of `name`, or `""` when absent (as Prometheus). */
  get(name: string): string {
    const i = this.#indexOf(name);
    return i < 0 ? "" : (this.#values[i] as string);
  }

  /** Whether a label named `name` is present. */
  has(name: string): boolean {
    return this.#indexOf(name) >= 0;
  }

  /** The metric name (`__name__`), or `""`. */
  get metricName(): string {
    return this.get(METRIC_NAME);
  }

  /** Label names in sorted order. */
  names(): readonly string[] {
    return this.#names;
  }

  *[Symbol.iterator](): Iterator<Label> {
    for (let i = 0; i < this.#names.length; i++) {
      yield { name: this.#names[i] as string, value: this.#values[i] as string };
    }
  }

  /** Label name at position `i` of the sorted order. */
  nameAt(i: number): string {
    return this.#names[i] as string;
  }

  /** Label value at position `i` of the sorted order. */
  valueAt(i: number): string {
    return this.#values[i] as string;
  }

  /** A copy with `name` set to `value` (an empty value removes it). */
  with(name: string, value: string): Labels {
    return Labels.fromPairs([...this, { name, value }]);
  }

  /**
   * The union with `other`, whose value wins for a name in both. A linear merge of the two sorted
   * sets, so adding a target's labels to each scraped series needs no sort and no map.
   */
  merge(other: Labels): Labels {
    if (other.size === 0) return this;
    if (this.size === 0) return other;
    const a = this.#names;
    const b = other.#names;
    let shared = 0;
    for (const name of b) if (this.#indexOf(name) >= 0) shared++;
    // Exactly sized: a label set may live as long as its series, so growth slack would stay too.
    const names = new Array<string>(a.length + b.length - shared);
    const values = new Array<string>(names.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < names.length; k++) {
      const c = i >= a.length ? 1 : j >= b.length ? -1 : compareStrings(a[i] as string, b[j] as string);
      if (c < 0) {
        names[k] = a[i] as string;
        values[k] = this.#values[i++] as string;
      } else {
        if (c === 0) i++;
        names[k] = b[j] as string;
        values[k] = other.#values[j++] as string;
      }
    }
    return new Labels(names, values);
  }

  /** A copy without the given names. */
  without(...names: string[]): Labels {
    const drop = new Set(names);
    return Labels.#fromSortedPairs([...this].filter((l) => !drop.has(l.name)));
  }

  /** A copy with only the given names. */
  keep(...names: string[]): Labels {
    const keep = new Set(names);
    return Labels.#fromSortedPairs([...this].filter((l) => keep.has(l.name)));
  }

  /** Whether both sets hold the same pairs. */
  equals(other: Labels): boolean {
    if (this === other) return true;
    if (this.size !== other.size) return false;
    for (let i = 0; i < this.size; i++) {
      if (this.#names[i] !== other.#names[i] || this.#values[i] !== other.#values[i]) return false;
    }
    return true;
  }

  /**
   * Replaces every name and value by the string `pool` returns for it, which must be equal to it
   * (a store's shared copy of that string). The pairs, order and hash stay exactly as they were,
   * so nothing observable changes; a store keeping millions of label sets then holds one copy of
   * each repeated string instead of one per set.
   */
  internStrings(pool: (s: string) => string): void {
    for (let i = 0; i < this.#names.length; i++) {
      this.#names[i] = pool(this.#names[i] as string);
      this.#values[i] = pool(this.#values[i] as string);
    }
  }

  /** Orders label sets as Prometheus does: pair by pair, names then values, shorter first. */
  compare(other: Labels): number {
    const n = Math.min(this.size, other.size);
    for (let i = 0; i < n; i++) {
      const c = compareStrings(this.#names[i] as string, other.#names[i] as string);
      if (c !== 0) return c;
      const d = compareStrings(this.#values[i] as string, other.#values[i] as string);
      if (d !== 0) return d;
    }
    return this.size - other.size;
  }

  /** A stable 64-bit hash of the pairs (see `hash.ts`); equal labels always hash equal. */
  hash(): bigint {
    if (this.#hash === undefined) this.#hash = hashLabelPairs(this.#names, this.#values);
    return this.#hash;
  }

  /** A plain object of the pairs. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < this.size; i++) out[this.#names[i] as string] = this.#values[i] as string;
    return out;
  }

  /**
   * Prometheus's notation: `{a="1", b="2"}`, values quoted as Go's strconv.Quote does (JSON
   * escaping differs for control and non-printable characters), names quoted when not legacy.
   */
  toString(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.size; i++) {
      const name = this.#names[i] as string;
      parts.push(`${needsQuoting(name) ? goQuote(name) : name}=${goQuote(this.#values[i] as string)}`);
    }
    return `{${parts.join(", ")}}`;
  }

  #indexOf(name: string): number {
    let lo = 0;
    let hi = this.#names.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareStrings(this.#names[mid] as string, name);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/**
 * Compares strings by their UTF-8 bytes, as Go does. For strings without surrogate pairs this is
 * the same as comparing UTF-16 code units, which is what `<` does; the slow path fixes the rest.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Code units >= 0xD800 (surrogates) sort after 0xE000-0xFFFF in UTF-8; adjust for that case.
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy && x >= 0xd800 && y >= 0xd800) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}
