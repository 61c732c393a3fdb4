import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Logger } from "pino";
import { jsonCodec, type JournalCodec } from "./codec.js";
import { JournalClosedError, JournalFailedError, JournalRecordTooLargeError } from "./errors.js";
import { listDir, removeFiles, segmentName, snapshotName, syncDir, writeAll, writeFileAtomic } from "./files.js";
import type { JournalOptions, JournalStats } from "./options.js";
import { replay, type ReplayResult, type SegmentRepair } from "./replay.js";
import { encodeFrame, encodeSegmentHeader } from "./segment-format.js";
import { encodeSnapshotFile } from "./snapshot-format.js";

const DEFAULT_MAX_RECORD_BYTES = 16 << 20;
// A batch this large already amortises its flush; capping it bounds the memory of one write.
const MAX_BATCH_BYTES = 8 << 20;

/** What `Journal.open` found on disk, and the journal to keep appending with. */
export interface OpenedJournal<S, R> {
  /** The journal, positioned after the last replayed record. */
  readonly journal: Journal<S, R>;
  /** State of the newest snapshot, or undefined when none was taken yet. */
  readonly snapshot: S | undefined;
  /** Last record index the snapshot covers; 0 without a snapshot. */
  readonly snapshotIndex: number;
  /** Records after the snapshot, in the order they were appended; apply them to `snapshot`. */
  readonly records: R[];
  /** Index of the last record (the snapshot's index when no record follows it); 0 when empty. */
  readonly lastIndex: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

// Work for the single writer loop, in the order it must reach the disk.
type Op =
  | { kind: "frames"; frames: Buffer[]; bytes: number; lastIndex: number; waiters: Waiter[] }
  | { kind: "rotate"; firstIndex: number; waiters: Waiter[] };

interface Counters {
  appendedRecords: number;
  commits: number;
  snapshots: number;
  snapshotFailures: number;
  tornTails: number;
  truncatedBytes: number;
  corruptSnapshots: number;
}

/**
 * A crash-safe, append-only log of records of type `R` with periodic snapshots of state `S`.
 *
 * Records are numbered from 1 in the order `append` is called. Every record whose `append`
 * resolved is on disk (flushed, with `fsync: "always"`) and is replayed by the next `open`, in
 * order, after any `kill -9` or power loss. Concurrent appends are grouped into one write and one
 * flush. One process at a time may use a directory; nothing here guards against a second one.
 */
export class Journal<S, R> {
  readonly #dir: string;
  readonly #logger: Logger;
  readonly #codec: JournalCodec<S, R>;
  readonly #sync: boolean;
  readonly #snapshotEvery: number | undefined;
  readonly #captureState: (() => S) | undefined;
  readonly #maxRecordBytes: number;
  readonly #counters: Counters;

  #handle: FileHandle;
  #segmentFirst: number;
  // Where the segment will start once every queued rotation ran; decides whether a snapshot rotates.
  #queuedSegmentFirst: number;
  #lastAssigned: number;
  #snapshotIndex: number | undefined;
  #snapshotRequested: number;
  readonly #queue: Op[] = [];
  #inflight: Op | undefined;
  #draining = false;
  #failure: unknown;
  #closing: Promise<void> | undefined;
  #snapshotChain: Promise<void> = Promise.resolve();
  #autoSnapshotRunning = false;

  private constructor(
    options: JournalOptions<S>,
    codec: JournalCodec<S, R>,
    counters: Counters,
    handle: FileHandle,
    segmentFirst: number,
    replayed: ReplayResult<S, R>,
  ) {
    this.#dir = options.dir;
    this.#logger = options.logger;
    this.#codec = codec;
    this.#sync = (options.fsync ?? "always") === "always";
    this.#snapshotEvery = options.snapshotEvery;
    this.#captureState = options.captureState;
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.#counters = counters;
    this.#handle = handle;
    this.#segmentFirst = segmentFirst;
    this.#queuedSegmentFirst = segmentFirst;
    this.#lastAssigned = replayed.lastIndex;
    this.#snapshotIndex = replayed.snapshotIndex;
    this.#snapshotRequested = replayed.snapshotIndex ?? 0;
  }

  /**
   * Opens (or creates) the journal in `options.dir`: replays the newest valid snapshot and the
   * records after it, cuts off a tail torn by a crash, and throws `JournalCorruptError` for any
   * other damage rather than drop records.
   */
  static async open<S, R>(options: JournalOptions<S>, codec: JournalCodec<S, R> = jsonCodec<S, R>()): Promise<OpenedJournal<S, R>> {
    const { dir, logger, signal } = options;
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined) await syncDir(dirname(created));
    const counters: Counters = { appendedRecords: 0, commits: 0, snapshots: 0, snapshotFailures: 0, tornTails: 0, truncatedBytes: 0, corruptSnapshots: 0 };
    const replayed = await replay(dir, codec, {
      logger,
      maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      counters,
      signal,
    });
    signal?.throwIfAborted();

    let segmentFirst: number;
    if (replayed.active === undefined) {
      segmentFirst = replayed.lastIndex + 1;
      await createSegment(dir, segmentFirst);
    } else {
      segmentFirst = replayed.active.firstIndex;
      await repairSegment(join(dir, replayed.active.name), segmentFirst, replayed.active.repair);
    }
    const handle = await open(join(dir, segmentName(segmentFirst)), "a");
    try {
      await removeFiles(dir, replayed.obsolete);
    } catch (err) {
      // Leftovers only cost disk space; the next snapshot or open retries.
      logger.warn({ dir, err }, "journal could not remove obsolete files");
    }
    logger.info(
      { dir, snapshotIndex: replayed.snapshotIndex, records: replayed.records.length, lastIndex: replayed.lastIndex },
      "journal opened",
    );
    const journal = new Journal<S, R>(options, codec, counters, handle, segmentFirst, replayed);
    return {
      journal,
      snapshot: replayed.snapshot,
      snapshotIndex: replayed.snapshotIndex ?? 0,
      records: replayed.records,
      lastIndex: replayed.lastIndex,
    };
  }

  /** Index of the last record handed to `append` (durable or not yet); 0 when none. */
  get lastIndex(): number {
    return this.#lastAssigned;
  }

  /** A copy of this journal's counters. */
  stats(): JournalStats {
    return { ...this.#counters };
  }

  /**
   * Appends `records` and resolves with the index of the last one once all are durable; records
   * of concurrent calls keep call order and share one write and flush. Records are encoded before
   * this returns, so the caller may mutate them afterwards. An empty array resolves once every
   * earlier record is durable. There is no AbortSignal: a queued record cannot be withdrawn, and
   * the wait is bounded by one flush.
   */
  async append(records: readonly R[]): Promise<number> {
    this.#checkWritable();
    const frames = records.map((r) => {
      const payload = this.#codec.encodeRecord(r);
      if (payload.length > this.#maxRecordBytes) throw new JournalRecordTooLargeError(payload.length, this.#maxRecordBytes);
      return encodeFrame(payload);
    });
    if (frames.length === 0) {
      const last = this.#queue.at(-1) ?? this.#inflight;
      if (last !== undefined) await new Promise<void>((resolve, reject) => last.waiters.push({ resolve, reject }));
      return this.#lastAssigned;
    }
    this.#lastAssigned += frames.length;
    const lastIndex = this.#lastAssigned;
    const bytes = frames.reduce((n, f) => n + f.length, 0);
    const done = new Promise<void>((resolve, reject) => {
      const tail = this.#queue.at(-1);
      const waiter = { resolve, reject };
      if (tail?.kind === "frames" && tail.bytes + bytes <= MAX_BATCH_BYTES) {
        tail.frames.push(...frames);
        tail.bytes += bytes;
        tail.lastIndex = lastIndex;
        tail.waiters.push(waiter);
      } else {
        this.#queue.push({ kind: "frames", frames, bytes, lastIndex, waiters: [waiter] });
      }
    });
    this.#drain();
    await done;
    return lastIndex;
  }

  /**
   * Makes `state` the new base of the journal and then deletes the files it makes redundant.
   * `state` must be exactly the result of applying every record whose `append` was called before
   * this call, durable or not, and no later one: apply a change and append its record in the same
   * synchronous step. Appends may continue meanwhile; they go to a new segment. Resolves when the
   * snapshot is durable; a failure leaves the journal usable and every record still replayable.
   * `signal` aborts the snapshot before its file replaces the previous one.
   */
  async snapshot(state: S, signal?: AbortSignal): Promise<void> {
    this.#checkWritable();
    const covered = this.#lastAssigned;
    const payload = this.#codec.encodeSnapshot(state);
    this.#snapshotRequested = Math.max(this.#snapshotRequested, covered);
    // Queued now, not later: records appended after this call must land after the rotation.
    const rotated = this.#enqueueRotation(covered + 1);
    // Observed later, once earlier snapshots finished; a failure meanwhile must not count as unhandled.
    rotated.catch(() => undefined);
    const run = this.#snapshotChain.then(() => this.#writeSnapshot(covered, payload, rotated, signal));
    this.#snapshotChain = run.catch(() => undefined);
    try {
      await run;
    } catch (err) {
      this.#counters.snapshotFailures++;
      throw err;
    }
  }

  /** Waits for queued appends and snapshots to finish, then releases the segment; later calls throw `JournalClosedError`. */
  close(): Promise<void> {
    this.#closing ??= this.#closeNow();
    return this.#closing;
  }

  async #closeNow(): Promise<void> {
    const last = this.#queue.at(-1) ?? this.#inflight;
    if (last !== undefined) await new Promise<void>((resolve) => last.waiters.push({ resolve, reject: () => resolve() }));
    await this.#snapshotChain;
    await this.#handle.close();
    this.#logger.debug({ dir: this.#dir, lastIndex: this.#lastAssigned }, "journal closed");
  }

  #checkWritable(): void {
    if (this.#closing !== undefined) throw new JournalClosedError();
    if (this.#failure !== undefined) throw new JournalFailedError(this.#failure);
  }

  #enqueueRotation(firstIndex: number): Promise<void> {
    // A segment that holds no record yet needs no rotation; the op then only orders the snapshot
    // after earlier rotations.
    const target = Math.max(firstIndex, this.#queuedSegmentFirst);
    this.#queuedSegmentFirst = target;
    const done = new Promise<void>((resolve, reject) => {
      this.#queue.push({ kind: "rotate", firstIndex: target, waiters: [{ resolve, reject }] });
    });
    this.#drain();
    return done;
  }

  // The single writer: runs queued ops one at a time, in order; while one flushes, new appends
  // pile up in the next op, which is what groups them.
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    void this.#drainLoop();
  }

  async #drainLoop(): Promise<void> {
    for (let op = this.#queue.shift(); op !== undefined; op = this.#queue.shift()) {
      this.#inflight = op;
      try {
        if (this.#failure !== undefined) throw this.#failure;
        if (op.kind === "frames") await this.#commit(op.frames, op.bytes);
        else await this.#rotate(op.firstIndex);
        for (const w of op.waiters) w.resolve();
      } catch (err) {
        if (this.#failure === undefined) {
          this.#failure = err;
          this.#logger.error({ dir: this.#dir, err }, "journal write failed, refusing further writes until reopened");
        }
        const failed = new JournalFailedError(this.#failure);
        for (const w of op.waiters) w.reject(failed);
      }
      this.#inflight = undefined;
      if (op.kind === "frames") this.#maybeAutoSnapshot();
    }
    this.#draining = false;
  }

  async #commit(frames: Buffer[], bytes: number): Promise<void> {
    await writeAll(this.#handle, frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames, bytes));
    if (this.#sync) await this.#handle.datasync();
    this.#counters.commits++;
    this.#counters.appendedRecords += frames.length;
  }

  async #rotate(firstIndex: number): Promise<void> {
    if (firstIndex === this.#segmentFirst) return;
    // Flushed even with fsync "never": a crash must not tear a segment that is no longer the last.
    await this.#handle.datasync();
    await createSegment(this.#dir, firstIndex);
    const next = await open(join(this.#dir, segmentName(firstIndex)), "a");
    const previous = this.#handle;
    this.#handle = next;
    this.#segmentFirst = firstIndex;
    await previous.close();
  }

  async #writeSnapshot(covered: number, payload: Uint8Array, rotated: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    // Until the rotation is durable, records up to `covered` may not be, and the snapshot must
    // never run ahead of the log it replaces.
    await rotated;
    if (this.#snapshotIndex !== undefined && covered <= this.#snapshotIndex) return;
    signal?.throwIfAborted();
    await writeFileAtomic(this.#dir, snapshotName(covered), encodeSnapshotFile(covered, payload), signal);
    this.#snapshotIndex = covered;
    this.#counters.snapshots++;
    // Only now, with the snapshot renamed and the directory flushed, may older files go.
    try {
      const listing = await listDir(this.#dir);
      await removeFiles(this.#dir, [
        ...listing.segments.filter((s) => s.index <= covered).map((s) => s.name),
        ...listing.snapshots.filter((s) => s.index < covered).map((s) => s.name),
      ]);
    } catch (err) {
      this.#logger.warn({ dir: this.#dir, err }, "journal could not remove files older than the snapshot");
    }
  }

  #maybeAutoSnapshot(): void {
    const every = this.#snapshotEvery;
    const capture = this.#captureState;
    if (every === undefined || capture === undefined) return;
    // One automatic snapshot at a time: when the disk is slower than the append rate, queueing
    // more would only pile up encoded states in memory.
    if (this.#autoSnapshotRunning || this.#closing !== undefined || this.#failure !== undefined) return;
    if (this.#lastAssigned - this.#snapshotRequested < every) return;
    this.#autoSnapshotRunning = true;
    this.snapshot(capture())
      .catch((err: unknown) => {
        this.#logger.warn({ dir: this.#dir, err }, "journal automatic snapshot failed, keeping older segments");
      })
      .finally(() => {
        this.#autoSnapshotRunning = false;
      });
  }
}

async function createSegment(dir: string, firstIndex: number): Promise<void> {
  // "wx": a segment of this name must not exist yet; overwriting one could destroy records.
  const handle = await open(join(dir, segmentName(firstIndex)), "wx");
  try {
    await writeAll(handle, encodeSegmentHeader(firstIndex));
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await syncDir(dir);
}

async function repairSegment(path: string, firstIndex: number, repair: SegmentRepair): Promise<void> {
  if (repair.kind === "none") return;
  const handle = await open(path, "r+");
  try {
    if (repair.kind === "truncate") {
      await handle.truncate(repair.toBytes);
    } else {
      await handle.truncate(0);
      await handle.write(encodeSegmentHeader(firstIndex), 0, undefined, 0);
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
