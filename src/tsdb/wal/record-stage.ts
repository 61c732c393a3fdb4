/**
 * Records copied out of their callers' buffers, back to back in one buffer that is reused from
 * one write group to the next: a caller may then encode its next record into the same memory at
 * once, and a steady stream of commits allocates nothing here. Node counts buffer memory as
 * "external" and starts a full garbage collection for every 64 MiB of it allocated, so reuse
 * spares the whole heap from being marked over and over.
 */
export class RecordStage {
  #buf: Uint8Array;
  #len = 0;
  readonly #ends: number[] = [];

  constructor(capacity = 64 * 1024) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Records held. */
  get count(): number {
    return this.#ends.length;
  }

  /** Bytes the buffer can hold without growing. */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Copies `rec` in and returns its index. */
  add(rec: Uint8Array): number {
    if (this.#len + rec.length > this.#buf.length) {
      const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + rec.length));
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    this.#buf.set(rec, this.#len);
    this.#len += rec.length;
    return this.#ends.push(this.#len) - 1;
  }

  /** Record `i` (a view, valid until `clear`). */
  record(i: number): Uint8Array {
    return this.#buf.subarray(i === 0 ? 0 : (this.#ends[i - 1] as number), this.#ends[i] as number);
  }

  /** Forgets every record, keeping the memory. */
  clear(): void {
    this.#len = 0;
    this.#ends.length = 0;
  }
}
