import type { Labels } from "./labels.js";

/**
 * XXH64 (seed 0) and Prometheus's `labels.Hash()` built on it: the UTF-8 bytes of every name and
 * value, each followed by the byte 0xFF, hashed with XXH64.
 *
 * Written by hand, with BigInt, because only PromQL's limit_ratio needs Prometheus's exact label
 * hash (it picks series by it) and that path is not hot; the in-memory series hash (`hash.ts`) is
 * a different, faster function. The npm XXH64 packages are WASM with an asynchronous start or
 * native addons, both out of proportion for this one use.
 */

const MASK = 0xffffffffffffffffn;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function round(acc: bigint, input: bigint): bigint {
  acc = (acc + input * P2) & MASK;
  acc = rotl(acc, 31n);
  return (acc * P1) & MASK;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val);
  return (acc * P1 + P4) & MASK;
}

/** XXH64 of `data` with seed 0. */
export function xxhash64(data: Uint8Array): bigint {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (MASK + 1n - P1) & MASK;
    while (i + 32 <= len) {
      v1 = round(v1, view.getBigUint64(i, true));
      v2 = round(v2, view.getBigUint64(i + 8, true));
      v3 = round(v3, view.getBigUint64(i + 16, true));
      v4 = round(v4, view.getBigUint64(i + 24, true));
      i += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & MASK;
  while (i + 8 <= len) {
    h ^= round(0n, view.getBigUint64(i, true));
    h = (rotl(h, 27n) * P1 + P4) & MASK;
    i += 8;
  }
  if (i + 4 <= len) {
    h ^= (BigInt(view.getUint32(i, true)) * P1) & MASK;
    h = (rotl(h, 23n) * P2 + P3) & MASK;
    i += 4;
  }
  while (i < len) {
    h ^= (BigInt(data[i] as number) * P5) & MASK;
    h = (rotl(h, 11n) * P1) & MASK;
    i++;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}

/** Prometheus's `labels.Labels.Hash()`: XXH64 over `name 0xFF value 0xFF` for every pair in order. */
export function prometheusLabelsHash(labels: Labels): bigint {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let i = 0; i < labels.size; i++) {
    for (const s of [labels.nameAt(i), labels.valueAt(i)]) {
      const b = encoder.encode(s);
      parts.push(b, SEP);
      size += b.length + 1;
    }
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return xxhash64(all);
}

const SEP = Uint8Array.of(0xff);
