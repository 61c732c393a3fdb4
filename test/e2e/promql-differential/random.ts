// Deterministic randomness for the generated data set. Two kinds: a seeded sequence (mulberry32)
// for the plan of each target, and a stateless hash of integer keys for per-sample noise, so any
// one series can be regenerated sample by sample without generating its neighbours.

/** A seeded pseudo-random sequence (mulberry32); the same seed gives the same numbers. */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let z = this.#state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A number in [0, 1) fixed by three integer keys (a murmur3-style mix): stateless noise. */
export function noise(a: number, b: number, c = 0): number {
  const h = fmix(fmix(fmix(a ^ 0x9e3779b9) ^ b) + Math.imul(c, 0x27d4eb2f));
  return h / 4294967296;
}

/** A 32-bit key for a string (FNV-1a), to derive per-series noise keys from label values. */
export function keyOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
