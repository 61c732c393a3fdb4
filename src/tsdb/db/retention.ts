import type { BlockMeta } from "../meta/index.js";

/** What retention needs to know of a block. */
export interface RetainedBlock {
  readonly meta: BlockMeta;
  readonly bytes: number;
}

/** Retention bounds; either may be absent (unlimited). */
export interface RetentionPolicy {
  /** Keep blocks whose end is within this many ms of the newest block's end. */
  readonly retentionMs?: number;
  /** Keep at most this many bytes of blocks, dropping the oldest first. */
  readonly retentionBytes?: number;
}

/**
 * The blocks retention removes, with the reason for each, as Prometheus's `BeyondTimeRetention`
 * and `BeyondSizeRetention`: by time, a block goes once the newest block's end is `retentionMs` or
 * more past its end (time follows the data, not the wall clock); by size, the oldest blocks go
 * until the rest fit. `blocks` must be sorted oldest first.
 */
export function blocksBeyondRetention<B extends RetainedBlock>(blocks: readonly B[], policy: RetentionPolicy): { block: B; reason: "time" | "size" }[] {
  const out: { block: B; reason: "time" | "size" }[] = [];
  const gone = new Set<B>();
  if (policy.retentionMs !== undefined && blocks.length > 0) {
    const newest = Math.max(...blocks.map((b) => b.meta.maxTime));
    for (const b of blocks) {
      if (newest - b.meta.maxTime >= policy.retentionMs) {
        out.push({ block: b, reason: "time" });
        gone.add(b);
      }
    }
  }
  if (policy.retentionBytes !== undefined) {
    let total = 0;
    for (const b of blocks) if (!gone.has(b)) total += b.bytes;
    for (const b of blocks) {
      if (total <= policy.retentionBytes) break;
      if (gone.has(b)) continue;
      out.push({ block: b, reason: "size" });
      total -= b.bytes;
    }
  }
  return out;
}
