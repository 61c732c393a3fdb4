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
  /**
   * Keep the blocks plus the head's files (`headBytes` of `blocksBeyondRetention`) within this many
   * bytes, dropping the oldest blocks first.
   */
  readonly retentionBytes?: number;
}

/**
 * The blocks retention removes, with the reason for each, as Prometheus's `BeyondTimeRetention`
 * and `BeyondSizeRetention`: by time, a block goes once the newest block's end is `retentionMs` or
 * more past its end (time follows the data, not the wall clock); by size, the oldest blocks go
 * until the rest fit together with `headBytes`, the bytes of the head's files that retention counts
 * but cannot free (Prometheus's `Head.Size()`: the WAL with its checkpoints). The WAL alone being
 * over the limit removes every block, as in Prometheus. `blocks` must be sorted oldest first.
 */
export function blocksBeyondRetention<B extends RetainedBlock>(blocks: readonly B[], policy: RetentionPolicy, headBytes = 0): { block: B; reason: "time" | "size" }[] {
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
    // Blocks already gone by time are the oldest, so leaving them out picks the same blocks as
    // Prometheus's walk from the newest block, which counts them.
    let total = headBytes;
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
