import { MeridianError } from "../../model/index.js";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A string that is not a ULID. */
export class InvalidUlidError extends MeridianError {
  constructor(value: string) {
    super("invalid_ulid", `invalid ULID ${JSON.stringify(value)}`);
  }
}

/** Hands out ULIDs (block names). */
export interface UlidSource {
  next(): string;
}

/** What a UlidGenerator needs: a clock in ms and a source of random bytes. */
export interface UlidGeneratorOptions {
  readonly now: () => number;
  readonly random: (bytes: number) => Uint8Array;
}

/** Makes ULIDs: 26 Crockford base32 characters of a 48-bit ms time and 80 random bits. */
export class UlidGenerator implements UlidSource {
  readonly #now: () => number;
  readonly #random: (bytes: number) => Uint8Array;

  constructor(options: UlidGeneratorOptions) {
    this.#now = options.now;
    this.#random = options.random;
  }

  next(): string {
    return encodeUlid(this.#now(), this.#random(10));
  }
}

/** The ULID of time `ms` (0 ≤ ms < 2^48) and 10 random bytes. */
export function encodeUlid(ms: number, random: Uint8Array): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 2 ** 48 || random.length !== 10) throw new InvalidUlidError(`${ms}/${random.length}`);
  let v = BigInt(ms);
  for (const b of random) v = (v << 8n) | BigInt(b);
  let out = "";
  for (let i = 25; i >= 0; i--) out += ALPHABET[Number((v >> BigInt(i * 5)) & 31n)];
  return out;
}

/** The ms timestamp in a ULID. */
export function ulidTime(ulid: string): number {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(ulid)) throw new InvalidUlidError(ulid);
  let v = 0;
  for (const c of ulid.slice(0, 10)) v = v * 32 + ALPHABET.indexOf(c);
  return v;
}
