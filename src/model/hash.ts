/**
 * A stable 64-bit hash of label pairs, used as series identity in memory (it is never written to
 * disk or sent over the wire, so it need not match Prometheus's xxhash values).
 *
 * Written by hand because it must be fast on the hot ingest path without BigInt arithmetic per
 * character: two independent 32-bit lanes (FNV-1a and a murmur3-style mix, both with Math.imul)
 * are run over the UTF-16 code units, with a separator after each string, and joined into one 64-bit
 * value at the end. Prometheus separates strings with the byte 0xFF, which valid UTF-8 never
 * contains; a UTF-16 code unit can be 0xFF (`ÿ`), so the separator here is a value above 0xFFFF
 * that no code unit can equal, keeping `{a="b\xffc"}`-style pairs from hashing as split strings.
 */
export function hashLabelPairs(names: readonly string[], values: readonly string[]): bigint {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  // Both lanes run inline over names[i] then values[i], each string followed by its separator; a
  // helper returning the pair would allocate an array per string on this hot path.
  for (let i = 0; i < names.length * 2; i++) {
    const s = (i & 1) === 0 ? (names[i >> 1] as string) : (values[i >> 1] as string);
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      a = Math.imul(a ^ c, 0x01000193);
      let k = Math.imul(c, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      b ^= Math.imul(k, 0x1b873593);
      b = (b << 13) | (b >>> 19);
      b = (Math.imul(b, 5) + 0xe6546b64) | 0;
    }
    a = Math.imul(a ^ SEPARATOR, 0x01000193);
    b = (Math.imul(b ^ 0xff, 0x85ebca6b) + 0x165667b1) | 0;
  }
  b = fmix32(b ^ names.length);
  a = fmix32(a ^ b);
  return (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0);
}

// Above every UTF-16 code unit, so the separator is never mistaken for a character.
const SEPARATOR = 0x100ff;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
