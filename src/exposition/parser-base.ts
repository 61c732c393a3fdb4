import { Labels, compareStrings } from "../model/index.js";
import type { Label } from "../model/index.js";
import { parseErrorAt } from "./errors.js";
import type { ParseError } from "./errors.js";
import type { Exemplar, MetricType } from "./types.js";
import { Interner, unescapeBytes } from "./strings.js";
import type { Utf8Decoder } from "./strings.js";
import { tokenName } from "./tokens.js";

const METRIC_NAME = "__name__";

/**
 * State and accessors both formats share: the current series is kept as byte offsets into the
 * body (name, then start/end of each label name and value) so `next` allocates nothing.
 */
export abstract class ParserBase {
  protected readonly b: Uint8Array;
  protected readonly decoder: Utf8Decoder = new TextDecoder("utf-8");
  protected readonly interner = new Interner();
  /** Offsets: [nameStart, nameEnd, (lnStart, lnEnd, lvStart, lvEnd)*]. */
  protected offsets: number[] = [];
  protected nOffsets = 0;
  protected seriesStart = 0;
  protected seriesEnd = 0;
  protected val = 0;
  protected ts = 0;
  protected hasTs = false;
  protected textStart = 0;
  protected textEnd = 0;
  protected mtype: MetricType = "untyped";
  // The body as a Buffer, made on the first `seriesKey`.
  #latin1: Buffer | undefined;

  constructor(b: Uint8Array) {
    this.b = b;
  }

  protected error(offset: number, reason: string): ParseError {
    return parseErrorAt(this.b, offset, reason);
  }

  protected tokenError(offset: number, expected: string, tok: number): ParseError {
    return this.error(offset, `${expected}, got "${tokenName(tok)}"`);
  }

  protected pushOffsets(a: number, b: number): void {
    const o = this.offsets;
    if (this.nOffsets + 2 > o.length) o.push(0, 0);
    o[this.nOffsets++] = a;
    o[this.nOffsets++] = b;
  }

  name(): string {
    return this.interner.ascii(this.b, this.offsets[0] as number, this.offsets[1] as number);
  }

  type(): MetricType {
    return this.mtype;
  }

  unit(): string {
    return this.decoder.decode(this.b.subarray(this.textStart, this.textEnd));
  }

  comment(): string {
    return this.decoder.decode(this.b.subarray(this.textStart, this.textEnd));
  }

  labelCount(): number {
    return (this.nOffsets - 2) >> 2;
  }

  labelName(i: number): string {
    const k = 2 + i * 4;
    return this.interner.ascii(this.b, this.offsets[k] as number, this.offsets[k + 1] as number);
  }

  labelValue(i: number): string {
    const k = 2 + i * 4;
    // Label values repeat across lines (cpu, mode, le…), so plain ASCII ones go through the interner.
    return unescapeBytes(this.decoder, this.b, this.offsets[k + 2] as number, this.offsets[k + 3] as number, true, this.interner);
  }

  value(): number {
    return this.val;
  }

  timestampMs(): number | undefined {
    return this.hasTs ? this.ts : undefined;
  }

  exemplar(): Exemplar | undefined {
    return undefined;
  }

  seriesBytes(): Uint8Array {
    return this.b.subarray(this.seriesStart, this.seriesEnd);
  }

  seriesKey(): string {
    // Node decodes latin1 in native code several times faster than a loop here could.
    this.#latin1 ??= Buffer.from(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    return this.#latin1.toString("latin1", this.seriesStart, this.seriesEnd);
  }

  labels(): Labels {
    const n = this.labelCount() + 1;
    // Parallel arrays, exactly sized, become the Labels' own: a scrape builds one set per new
    // series, a million at a target fleet's first scrape, so no pair objects are made on the way.
    const names = new Array<string>(n);
    const values = new Array<string>(n);
    names[0] = METRIC_NAME;
    values[0] = this.name();
    let sawEmpty = false;
    for (let i = 1; i < n; i++) {
      const value = this.labelValue(i - 1);
      if (value === "") sawEmpty = true;
      names[i] = this.labelName(i - 1);
      values[i] = value;
    }
    const fail = (reason: string) => this.error(this.seriesStart, reason);
    if (sawEmpty) return finishLabels(names.map((name, i) => ({ name, value: values[i] as string })), true, fail);
    // Insertion sort: label sets are short and often already sorted.
    for (let i = 1; i < n; i++) {
      const name = names[i] as string;
      const value = values[i] as string;
      let j = i - 1;
      while (j >= 0 && compareStrings(names[j] as string, name) > 0) {
        names[j + 1] = names[j] as string;
        values[j + 1] = values[j] as string;
        j--;
      }
      names[j + 1] = name;
      values[j + 1] = value;
    }
    for (let i = 1; i < n; i++) if (names[i] === names[i - 1]) throw fail(`label name "${names[i]}" is not unique`);
    return Labels.fromSortedArraysUnchecked(names, values);
  }
}

/**
 * Turns written pairs into stored labels the way Prometheus 2.42's scrape path does: a name that
 * appears with an empty value anywhere is dropped entirely (labels.Builder), the rest are sorted, and
 * a repeated name or a missing `__name__` fails the scrape.
 */
export function finishLabels(pairs: Label[], sawEmpty: boolean, fail: (reason: string) => ParseError): Labels {
  if (sawEmpty) {
    const drop = new Set<string>();
    for (const p of pairs) if (p.value === "") drop.add(p.name);
    pairs = pairs.filter((p) => !drop.has(p.name));
    if (drop.has(METRIC_NAME)) throw fail("missing metric name (__name__ label)");
  }
  // Insertion sort: label sets are short and often already sorted.
  for (let i = 1; i < pairs.length; i++) {
    const p = pairs[i] as Label;
    let j = i - 1;
    while (j >= 0 && compareStrings((pairs[j] as Label).name, p.name) > 0) {
      pairs[j + 1] = pairs[j] as Label;
      j--;
    }
    pairs[j + 1] = p;
  }
  for (let i = 1; i < pairs.length; i++) {
    if ((pairs[i] as Label).name === (pairs[i - 1] as Label).name) {
      throw fail(`label name "${(pairs[i] as Label).name}" is not unique`);
    }
  }
  return Labels.fromSortedUnchecked(pairs);
}
