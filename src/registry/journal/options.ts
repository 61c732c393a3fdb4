import type { Logger } from "pino";

/** How a journal is opened and how hard it works to make writes durable. */
export interface JournalOptions<S> {
  /** Directory holding this journal's files, created if missing; one process may use it at a time. */
  readonly dir: string;
  /** Where recovery and failure events are logged. */
  readonly logger: Logger;
  /**
   * `always` (the default) flushes every batch to disk before acknowledging it, so acknowledged
   * writes survive power loss; `never` acknowledges once the kernel has the bytes, which survives
   * `kill -9` of the process but not a crash of the machine.
   */
  readonly fsync?: "always" | "never";
  /**
   * Take a snapshot automatically once this many records were appended since the last one; needs
   * `captureState`. Unset, snapshots happen only when `snapshot()` is called.
   */
  readonly snapshotEvery?: number;
  /**
   * Returns the current state for an automatic snapshot. Called synchronously; the state must
   * reflect exactly the records appended so far (see `Journal.snapshot` for the rule).
   */
  readonly captureState?: () => S;
  /** Largest encoded record accepted, in bytes; 16 MiB by default. */
  readonly maxRecordBytes?: number;
  /** Aborts a slow open (reading the segments); has no effect once `open` resolved. */
  readonly signal?: AbortSignal;
}

/** Counters of one opened journal; a copy, so it can be kept and compared. */
export interface JournalStats {
  /** Records acknowledged since open. */
  readonly appendedRecords: number;
  /** Write-and-flush rounds since open; `appendedRecords / commits` is the group-commit factor. */
  readonly commits: number;
  /** Snapshots written since open. */
  readonly snapshots: number;
  /** Snapshot attempts that failed since open (the journal stays usable; old segments are kept). */
  readonly snapshotFailures: number;
  /** Torn tails repaired during open (0 or 1). */
  readonly tornTails: number;
  /** Bytes cut off the newest segment during open. */
  readonly truncatedBytes: number;
  /** Snapshot files found damaged during open and skipped in favour of an older one. */
  readonly corruptSnapshots: number;
}
