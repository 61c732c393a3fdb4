import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Matcher } from "../../model/index.js";
import type { Clock, Logger } from "../../runtime/index.js";
import { StorageClosedError, type Appender, type Querier, type Storage } from "../../storage/index.js";
import { Head, type HeadStats } from "../head/index.js";
import { UlidGenerator, type UlidSource } from "../meta/index.js";
import { WalWriter, checkpoint, decodeRecord, listSegments, replayWal, type FsyncPolicy, type RepairReport } from "../wal/index.js";
import { deleteFromBlock } from "./block-delete.js";
import { BlockSet, type OpenBlock } from "./block-set.js";
import { MergedQuerier } from "./db-querier.js";
import { linkBlock, tombstonedSeries } from "./block-snapshot.js";
import { compactBlocks, compactionRanges, planCompaction, rewriteBlock, writeStagedBlock } from "./compactor.js";
import { dirBytes } from "./dir-bytes.js";
import { blocksBeyondRetention } from "./retention.js";

/** Prometheus's default block range: 2 h. */
export const DEFAULT_BLOCK_RANGE_MS = 2 * 3_600_000;

/** Options of `TSDB.open`. */
export interface TsdbOptions {
  /** The data directory: blocks by ULID and the `wal` directory. Created when missing. */
  readonly dir: string;
  readonly logger: Logger;
  /** Names blocks (ULIDs carry creation time) and paces the WAL's interval fsync. */
  readonly clock: Clock;
  /** Drop blocks that end this many ms or more before the newest block's end. Unlimited when absent. */
  readonly retentionMs?: number;
  /**
   * Drop the oldest blocks while the blocks and the WAL (segments and checkpoints) together take
   * more than this many bytes, as Prometheus's `--storage.tsdb.retention.size`. Unlimited when absent.
   */
  readonly retentionBytes?: number;
  /** When WAL writes are fsynced (see FsyncPolicy); "never" by default, like Prometheus. */
  readonly walFsync?: FsyncPolicy;
  /** WAL segment size in bytes (a multiple of 32 KiB); 128 MiB by default. */
  readonly walSegmentSize?: number;
  /** Range of the blocks cut from the head, in ms; 2 h by default. */
  readonly blockRangeMs?: number;
  /** Whether blocks are merged into larger ones (level compaction). Head blocks are cut either way. */
  readonly compaction: boolean;
  /** Names new blocks; ULIDs from the clock and crypto randomness by default. */
  readonly ulids?: UlidSource;
  readonly signal?: AbortSignal;
}

/** What opening found and what the database has done since. */
export interface TsdbStats {
  readonly head: HeadStats;
  readonly blocks: number;
  readonly blockBytes: number;
  /** WAL records replayed at open (checkpoint included). */
  readonly walRecordsReplayed: number;
  /** Replayed samples whose series record was missing (lost with a damaged WAL part), dropped. */
  readonly walSamplesWithoutSeries: number;
  /** The repair made at open when the WAL was damaged: what was cut and lost. */
  readonly walRepair: RepairReport | undefined;
  /** Blocks written from the head. */
  readonly headCompactions: number;
  /** Blocks written by merging blocks (level compaction). */
  readonly levelCompactions: number;
  /** Blocks deleted by retention. */
  readonly retentionDeletions: number;
  /** Retention runs that deleted blocks by time (Prometheus's `prometheus_tsdb_time_retentions_total`). */
  readonly timeRetentions: number;
  /** Retention runs that deleted blocks by size (Prometheus's `prometheus_tsdb_size_retentions_total`). */
  readonly sizeRetentions: number;
}

/** Bytes on disk that size retention counts, by part; `blocks + wal` is held to `retentionBytes`. */
export interface TsdbStorageBytes {
  /** Every file of the live blocks (Prometheus's `prometheus_tsdb_storage_blocks_bytes`). */
  readonly blocks: number;
  /** Every file under `wal/`: segments and checkpoints (Prometheus's `prometheus_tsdb_wal_storage_size_bytes`). */
  readonly wal: number;
}

/**
 * Meridian's TSDB: a head fed through the WAL, Prometheus-format blocks cut from it every block
 * range, retention by time and size. Implements Storage: appends go to the head and are durable
 * (per the fsync policy) when `commit` resolves; a querier merges the blocks and the head.
 * Compaction runs in the background after commits, one at a time; `compact()` runs it now.
 */
export class TSDB implements Storage {
  readonly #opts: TsdbOptions;
  readonly #dir: string;
  readonly #walDir: string;
  readonly #range: number;
  readonly #head: Head;
  readonly #blocks: BlockSet;
  readonly #wal: WalWriter;
  readonly #ulids: UlidSource;
  readonly #replay: { records: number; withoutSeries: number; repair: RepairReport | undefined };
  readonly #abort = new AbortController();
  #work: Promise<void> = Promise.resolve();
  #pending = false;
  #closed = false;
  #headCompactions = 0;
  #levelCompactions = 0;
  #retentionDeletions = 0;
  #timeRetentions = 0;
  #sizeRetentions = 0;

  private constructor(
    opts: TsdbOptions,
    head: Head,
    blocks: BlockSet,
    wal: WalWriter,
    replay: { records: number; withoutSeries: number; repair: RepairReport | undefined },
  ) {
    this.#opts = opts;
    this.#dir = opts.dir;
    this.#walDir = join(opts.dir, "wal");
    this.#range = head.chunkRange;
    this.#head = head;
    this.#blocks = blocks;
    this.#wal = wal;
    this.#replay = replay;
    this.#ulids = opts.ulids ?? new UlidGenerator({ now: () => opts.clock.now(), random: (n) => randomBytes(n) });
  }

  /**
   * Opens (or creates) the database in `dir`: opens its blocks, replays the WAL into the head
   * (checkpoint first; a torn or corrupt tail is repaired, logged and reported in `stats()`),
   * applies retention, and cuts blocks the replayed head already has enough data for.
   */
  static async open(opts: TsdbOptions): Promise<TSDB> {
    const { dir, logger, signal } = opts;
    const range = opts.blockRangeMs ?? DEFAULT_BLOCK_RANGE_MS;
    const walDir = join(dir, "wal");
    await mkdir(walDir, { recursive: true });
    const blocks = await BlockSet.open(dir, logger, signal);
    let wal: WalWriter | undefined;
    try {
      const head = new Head({ chunkRange: range });
      head.setMinValidTime(blocks.maxTime());
      let withoutSeries = 0;
      const replayed = await replayWal(
        walDir,
        (rec) => {
          const d = decodeRecord(rec.data);
          if (d.type === "series") for (const s of d.series) head.replaySeries(s.ref, s.labels);
          else if (d.type === "samples") withoutSeries += head.replaySamples(d.samples.refs, d.samples.timestamps, d.samples.values);
          else if (d.type === "tombstones") head.replayTombstones(d.tombstones);
        },
        { logger, ...(signal ? { signal } : {}) },
      );
      if (replayed.repair !== undefined) {
        const r = replayed.repair;
        logger.warn({ dir: walDir, kind: r.kind, segment: r.segment, bytesLost: r.bytesLost, recordsLost: r.recordsLost, reason: r.reason }, "wal was damaged; repaired with data loss");
      }
      if (withoutSeries > 0) logger.warn({ dir: walDir, samples: withoutSeries }, "wal samples without a series record were dropped");
      wal = await WalWriter.open({
        dir: walDir,
        logger,
        clock: opts.clock,
        ...(opts.walFsync === undefined ? {} : { fsync: opts.walFsync }),
        ...(opts.walSegmentSize === undefined ? {} : { segmentSize: opts.walSegmentSize }),
      });
      head.setWal(wal);
      const db = new TSDB(opts, head, blocks, wal, { records: replayed.records, withoutSeries, repair: replayed.repair });
      logger.info({ dir, blocks: blocks.list().length, series: head.stats().series, walRecords: replayed.records }, "tsdb opened");
      try {
        await db.compact(signal);
      } catch (err) {
        await db.close();
        throw err;
      }
      return db;
    } catch (err) {
      await wal?.close().catch(() => undefined);
      await blocks.close();
      throw err;
    }
  }

  appender(): Appender {
    this.#assertOpen();
    const app = this.#head.appender();
    return {
      append: (ref, labels, t, v) => app.append(ref, labels, t, v),
      rollback: () => app.rollback(),
      commit: async () => {
        await app.commit();
        if (this.#headCompactable()) this.#schedule();
      },
    };
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    this.#assertOpen();
    const { blocks, release } = this.#blocks.acquire(mint, maxt);
    const parts = [...blocks.map((b) => b.reader.querier(mint, maxt)), this.#head.querier(mint, maxt)];
    return new MergedQuerier(parts, release);
  }

  /**
   * Cuts every completed block range the head holds, merges blocks (when compaction is on) and
   * applies retention; resolves when done.
   */
  compact(signal?: AbortSignal): Promise<void> {
    const run = this.#work.then(() => this.#compactNow(signal));
    this.#work = run.catch(() => undefined);
    return run;
  }

  /**
   * Deletes the samples in [mint, maxt] (ms, inclusive) of the series matching `matchers`
   * (Prometheus's `delete_series`): tombstones in every overlapping block and in the head (logged
   * to the WAL). Deleted samples disappear from queries at once and from disk at the next
   * compaction of their block. Runs between compactions, never during one.
   */
  delete(matchers: readonly Matcher[], mint: number, maxt: number, signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    // Tombstone files and WAL records hold int64 times; open ends become the extreme safe integers.
    mint = Math.max(mint, Number.MIN_SAFE_INTEGER);
    maxt = Math.min(maxt, Number.MAX_SAFE_INTEGER);
    const run = this.#work.then(async () => {
      for (const b of this.#blocks.list()) {
        if (b.meta.maxTime <= mint || b.meta.minTime > maxt) continue;
        if ((await deleteFromBlock(b.dir, matchers, mint, maxt, signal)) > 0) await this.#blocks.reload(b, signal);
      }
      await this.#head.delete(matchers, mint, maxt, signal);
    });
    this.#work = run.catch(() => undefined);
    return run;
  }

  /**
   * Rewrites every block that has tombstones without the deleted samples and deletes the old block
   * (Prometheus's `clean_tombstones`); a block left with no sample is just deleted. Each new block
   * is in place, naming the old one as its parent, before the old one goes, as in level compaction.
   * The head keeps its tombstones: its deleted samples go when its range is cut into a block.
   */
  cleanTombstones(signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    const run = this.#work.then(async () => {
      // A copy: adding and dropping blocks changes the live list.
      for (const b of [...this.#blocks.list()]) {
        signal?.throwIfAborted();
        if ((await tombstonedSeries(b.dir, signal)) === 0) continue;
        const dir = await rewriteBlock(this.#dir, b, this.#ulids, signal);
        if (dir !== undefined) {
          const fresh = await this.#blocks.add(dir, signal);
          this.#opts.logger.info({ block: fresh.meta.ulid, parent: b.meta.ulid, minTime: fresh.meta.minTime, maxTime: fresh.meta.maxTime }, "block rewritten without tombstones");
        }
        await this.#blocks.drop([b], "tombstones cleaned");
      }
    });
    this.#work = run.catch(() => undefined);
    return run;
  }

  /**
   * Writes a snapshot into `dir` (created when missing; Prometheus's `DB.Snapshot`): every block
   * hard-linked under its ULID and, when `withHead`, the head's samples (deletions applied) as
   * one more block spanning [oldest, newest + 1) ms. Runs between compactions, so no block goes
   * away while it is linked. A reader of `dir` sees Prometheus's data-directory layout minus the WAL.
   */
  snapshot(dir: string, withHead: boolean, signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    const run = this.#work.then(async () => {
      await mkdir(dir, { recursive: true });
      for (const b of this.#blocks.list()) await linkBlock(b.dir, join(dir, b.meta.ulid), signal);
      const head = this.#head;
      if (!withHead || head.maxTime === -Infinity) return;
      const q = head.querier(head.minTime, head.maxTime);
      try {
        await writeStagedBlock(dir, q.select([]), this.#ulids, signal, (meta) => meta);
      } finally {
        await q.close();
      }
    });
    this.#work = run.catch(() => undefined);
    return run;
  }

  /** Current counts. */
  stats(): TsdbStats {
    return {
      head: this.#head.stats(),
      blocks: this.#blocks.list().length,
      blockBytes: this.#blocks.bytes(),
      walRecordsReplayed: this.#replay.records,
      walSamplesWithoutSeries: this.#replay.withoutSeries,
      walRepair: this.#replay.repair,
      headCompactions: this.#headCompactions,
      levelCompactions: this.#levelCompactions,
      retentionDeletions: this.#retentionDeletions,
      timeRetentions: this.#timeRetentions,
      sizeRetentions: this.#sizeRetentions,
    };
  }

  /**
   * What the data directory takes on disk, by the parts size retention counts. Meridian keeps no
   * head chunks on disk and no out-of-order log, the other parts of Prometheus's `Head.Size()`.
   */
  async storageBytes(signal?: AbortSignal): Promise<TsdbStorageBytes> {
    return { blocks: this.#blocks.bytes(), wal: await dirBytes(this.#walDir, signal) };
  }

  /** The open blocks, oldest first. */
  blocks(): readonly OpenBlock[] {
    return this.#blocks.list();
  }

  /** Stops background work, then closes the head, the WAL (synced) and the blocks. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#head.close();
    this.#abort.abort();
    await this.#work;
    await this.#wal.close();
    await this.#blocks.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError();
  }

  #schedule(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#work = this.#work
      .then(() => {
        this.#pending = false;
        return this.#compactNow(this.#abort.signal);
      })
      .catch((err: unknown) => {
        if (!this.#abort.signal.aborted) this.#opts.logger.error({ dir: this.#dir, err }, "compaction failed");
      });
  }

  // As Prometheus: the head is compactable once it spans more than 1.5 block ranges, so the
  // newest half range stays in memory for late samples.
  #headCompactable(): boolean {
    const h = this.#head;
    if (h.maxTime === -Infinity || h.minTime === Infinity) return false;
    return h.maxTime - this.#rangeStart(h.minTime) > (this.#range * 3) / 2;
  }

  #rangeStart(t: number): number {
    return Math.floor(t / this.#range) * this.#range;
  }

  async #compactNow(signal?: AbortSignal): Promise<void> {
    while (this.#headCompactable()) {
      signal?.throwIfAborted();
      await this.#compactHead(signal);
    }
    if (this.#opts.compaction) await this.#compactBlocks(signal);
    await this.#applyRetention(signal);
  }

  /**
   * Writes the head's oldest block range as a block, then drops it from the head and checkpoints
   * the WAL up to the segment in use, keeping live series and samples from the range's end on.
   * The block is in place before anything is dropped, so a crash at any point loses nothing:
   * on reopen, WAL samples the block already holds are skipped as out of bounds.
   */
  async #compactHead(signal?: AbortSignal): Promise<void> {
    const head = this.#head;
    const start = this.#rangeStart(head.minTime);
    const end = start + this.#range;
    // Commits landing while the block is written must not add samples the block will miss.
    head.setMinValidTime(end);
    const q = head.querier(start, end - 1);
    // As Prometheus's head blocks: [oldest sample, end of the range), so the next range starts where this one ends.
    const written = await writeStagedBlock(this.#dir, q.select([]), this.#ulids, signal, (meta) => ({ ...meta, maxTime: end }));
    await q.close();
    if (written !== undefined) {
      const b = await this.#blocks.add(written, signal);
      this.#headCompactions++;
      this.#opts.logger.info({ block: b.meta.ulid, minTime: b.meta.minTime, maxTime: b.meta.maxTime, series: b.meta.stats.numSeries }, "head block written");
    }
    head.truncate(end);
    await this.#truncateWal(end, signal);
  }

  async #compactBlocks(signal?: AbortSignal): Promise<void> {
    const ranges = compactionRanges(this.#range, this.#opts.retentionMs);
    for (;;) {
      const parents = planCompaction(this.#blocks.list(), ranges);
      if (parents === undefined) return;
      signal?.throwIfAborted();
      const dir = await compactBlocks(this.#dir, parents, this.#ulids, signal);
      if (dir !== undefined) {
        const b = await this.#blocks.add(dir, signal);
        this.#opts.logger.info({ block: b.meta.ulid, level: b.meta.compaction.level, parents: parents.length, minTime: b.meta.minTime, maxTime: b.meta.maxTime }, "blocks compacted");
      }
      await this.#blocks.drop(parents, "compacted");
      this.#levelCompactions++;
    }
  }

  async #truncateWal(mint: number, signal?: AbortSignal): Promise<void> {
    const last = (await this.#wal.nextSegment(signal)) - 1;
    const first = (await listSegments(this.#walDir))[0]?.index;
    if (first === undefined || first > last) return;
    await checkpoint(this.#walDir, first, last, (ref) => this.#head.hasSeries(ref), mint, {
      logger: this.#opts.logger,
      clock: this.#opts.clock,
      ...(signal ? { signal } : {}),
    });
  }

  async #applyRetention(signal?: AbortSignal): Promise<void> {
    const { retentionMs, retentionBytes } = this.#opts;
    const policy = {
      ...(retentionMs === undefined ? {} : { retentionMs }),
      ...(retentionBytes === undefined ? {} : { retentionBytes }),
    };
    // Measured after the head compaction's checkpoint, so the WAL counts what it keeps from now on.
    const walBytes = retentionBytes === undefined || this.#blocks.list().length === 0 ? 0 : await dirBytes(this.#walDir, signal);
    const beyond = blocksBeyondRetention(this.#blocks.list(), policy, walBytes);
    for (const reason of ["time", "size"] as const) {
      const blocks = beyond.filter((b) => b.reason === reason).map((b) => b.block);
      if (blocks.length === 0) continue;
      if (reason === "size") {
        const blockBytes = this.#blocks.bytes();
        this.#opts.logger.info({ dir: this.#dir, limitBytes: retentionBytes, blockBytes, walBytes, blocks: blocks.length }, "blocks and wal over the size limit; deleting oldest blocks");
      }
      await this.#blocks.drop(blocks, `${reason} retention`);
      this.#retentionDeletions += blocks.length;
      if (reason === "time") this.#timeRetentions++;
      else this.#sizeRetentions++;
    }
  }
}
