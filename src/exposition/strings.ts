import { asciiString } from "./float.js";

const BACKSLASH = 0x5c;

/** The part of TextDecoder the parsers use (the global class has no exported type under our lib settings). */
export interface Utf8Decoder {
  decode(input: Uint8Array): string;
}

/**
 * Decodes `b[s:e]` (already validated as UTF-8 where that matters) and applies Prometheus's
 * replacer: `\\` and `\n` always, `\"` too when `quotes` is set; any other backslash pair stays as
 * written, exactly as Go's strings.Replacer leaves it.
 */
export function unescapeBytes(
  decoder: Utf8Decoder,
  b: Uint8Array,
  s: number,
  e: number,
  quotes: boolean,
  interner?: Interner,
): string {
  let ascii = true;
  let escaped = false;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c >= 0x80) ascii = false;
    else if (c === BACKSLASH) escaped = true;
  }
  if (ascii && !escaped && interner !== undefined) return interner.ascii(b, s, e);
  const raw = ascii ? asciiString(b, s, e) : decoder.decode(b.subarray(s, e));
  if (!escaped) return raw;
  let out = "";
  let last = 0;
  for (let i = 0; i < raw.length - 1; i++) {
    if (raw.charCodeAt(i) !== BACKSLASH) continue;
    const n = raw[i + 1];
    const rep = n === "\\" ? "\\" : n === "n" ? "\n" : n === '"' && quotes ? '"' : undefined;
    if (rep === undefined) continue;
    out += raw.slice(last, i) + rep;
    i++;
    last = i + 1;
  }
  return out + raw.slice(last);
}

/** Whether `b[s:e]` is well-formed UTF-8 (Go's utf8.Valid: no overlongs, surrogates or values past U+10FFFF). */
export function validUtf8(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= e) return false;
    const c1 = b[i + 1] as number;
    if (c1 < lo || c1 > hi) return false;
    for (let k = 2; k <= need; k++) {
      const ck = b[i + k] as number;
      if (ck < 0x80 || ck > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

const INTERN_SLOTS = 1024;

/**
 * A small cache from byte ranges to strings so repeated metric and label names decode once per parser.
 * It is a fixed-size direct-mapped table: a miss just replaces the slot, so it never grows.
 */
export class Interner {
  readonly #hashes = new Int32Array(INTERN_SLOTS);
  readonly #keys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(INTERN_SLOTS);
  readonly #values: string[] = new Array<string>(INTERN_SLOTS).fill("");

  /** The string for ASCII bytes `b[s:e]`, decoded at most once while it stays cached. */
  ascii(b: Uint8Array, s: number, e: number): string {
    const len = e - s;
    if (len > 64) return asciiString(b, s, e);
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
    const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
    const key = this.#keys[slot];
    if (key !== undefined && this.#hashes[slot] === h && key.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (key[i] !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.#values[slot] as string;
    }
    const str = asciiString(b, s, e);
    this.#keys[slot] = b.slice(s, e);
    this.#hashes[slot] = h;
    this.#values[slot] = str;
    return str;
  }
}
