/** Consul's default cap on the output kept per check. */
export const DEFAULT_OUTPUT_MAX_SIZE = 4 * 1024;

/** The output cap of a definition: its `OutputMaxSize` when positive, else Consul's 4 KiB. */
export function outputMaxSize(configured: number | undefined): number {
  return configured !== undefined && configured > 0 ? configured : DEFAULT_OUTPUT_MAX_SIZE;
}

/**
 * Keeps the last `max` bytes written, like the circular buffer Consul reads HTTP bodies into:
 * a failing endpoint's most telling lines are usually at the end.
 */
export class TailBuffer {
  readonly #max: number;
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(max: number) {
    this.#max = max;
  }

  write(chunk: Uint8Array): void {
    this.#chunks.push(Buffer.from(chunk));
    this.#size += chunk.byteLength;
    if (this.#size > this.#max * 2) this.#compact();
  }

  toString(): string {
    this.#compact();
    return Buffer.concat(this.#chunks).toString("utf8");
  }

  #compact(): void {
    const all = Buffer.concat(this.#chunks);
    const kept = all.subarray(Math.max(0, all.length - this.#max));
    this.#chunks = [kept];
    this.#size = kept.length;
  }
}

/** Go's rendering of a network error, so outputs read like a Consul agent's. */
export function describeDialError(err: unknown, address: string): string {
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  switch (e?.code) {
    case "ECONNREFUSED":
      return `dial tcp ${address}: connect: connection refused`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `dial tcp: lookup ${e.hostname ?? address}: no such host`;
    case "EHOSTUNREACH":
      return `dial tcp ${address}: connect: no route to host`;
    case "ENETUNREACH":
      return `dial tcp ${address}: connect: network is unreachable`;
    case "ECONNRESET":
      return `read tcp ${address}: connection reset by peer`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
