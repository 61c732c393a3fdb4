import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Gauge, type Registry } from "prom-client";
import type { HeadStatsView, TsdbStatusSource } from "../api/index.js";
import type { Clock, Logger, Service } from "../runtime/index.js";
import type { Labels, Matcher } from "../model/index.js";
import type { Appender, Querier, Storage } from "../storage/index.js";
import { TSDB, type TsdbStats } from "../tsdb/index.js";

/** Options of `TsdbService`. */
export interface TsdbServiceOptions {
  readonly dir: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: Registry;
  /** `--storage.tsdb.retention.time` in ms; Prometheus's default is 15 d. */
  readonly retentionMs?: number;
  /** `--storage.tsdb.retention.size` in bytes; unlimited when absent or 0. */
  readonly retentionBytes?: number;
}

/**
 * The engine's durable storage as a Service: the TSDB opens (replaying its WAL) when the service
 * starts and closes when it stops; in between it is the Storage scrapes append to and the API
 * reads. Exposes `meridian_tsdb_*` gauges, the counterparts of Prometheus's `prometheus_tsdb_*`.
 */
export class TsdbService implements Service, Storage, TsdbStatusSource {
  readonly name = "tsdb";
  readonly #options: TsdbServiceOptions;
  #db: TSDB | undefined;
  #walReplay = { min: 0, max: 0, current: 0 };

  constructor(options: TsdbServiceOptions) {
    this.#options = options;
    const stats = (): TsdbStats | undefined => this.#db?.stats();
    const gauge = (name: string, help: string, read: (s: TsdbStats) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [options.metrics],
        collect() {
          const s = stats();
          const v = s ? read(s) : undefined;
          if (v !== undefined) this.set(v);
        },
      });
    gauge("meridian_tsdb_head_series", "Total number of series in the head block.", (s) => s.head.series);
    gauge("meridian_tsdb_head_chunks", "Total number of chunks in the head block.", (s) => s.head.chunks);
    gauge("meridian_tsdb_head_samples_appended", "Samples made visible in the head since start (replay included).", (s) => s.head.samplesAppended);
    gauge("meridian_tsdb_out_of_order_samples", "Samples rejected as out of order since start.", (s) => s.head.outOfOrder);
    gauge("meridian_tsdb_duplicate_samples", "Samples rejected for a duplicate timestamp since start.", (s) => s.head.duplicate);
    gauge("meridian_tsdb_out_of_bounds_samples", "Samples rejected as out of bounds since start.", (s) => s.head.outOfBounds);
    gauge("meridian_tsdb_head_min_time", "Minimum time bound of the head block (ms).", (s) => s.head.minTime);
    gauge("meridian_tsdb_head_max_time", "Maximum time bound of the head block (ms).", (s) => s.head.maxTime);
    gauge("meridian_tsdb_blocks_loaded", "Number of currently loaded data blocks.", (s) => s.blocks);
    gauge("meridian_tsdb_storage_blocks_bytes", "Bytes used by the loaded blocks.", (s) => s.blockBytes);
    gauge("meridian_tsdb_wal_records_replayed", "WAL records replayed at start.", (s) => s.walRecordsReplayed);
    gauge("meridian_tsdb_compactions", "Blocks written from the head since start.", (s) => s.headCompactions);
    gauge("meridian_tsdb_level_compactions", "Blocks written by merging blocks since start.", (s) => s.levelCompactions);
    gauge("meridian_tsdb_retention_deletions", "Blocks deleted by retention since start.", (s) => s.retentionDeletions);
    gauge("meridian_tsdb_time_retentions", "Times blocks were deleted for the time retention since start.", (s) => s.timeRetentions);
    gauge("meridian_tsdb_size_retentions", "Times blocks were deleted for the size retention since start.", (s) => s.sizeRetentions);
    gauge("meridian_tsdb_retention_limit_bytes", "The size retention limit (0 when none).", () => options.retentionBytes ?? 0);
    const db = (): TSDB | undefined => this.#db;
    new Gauge({
      name: "meridian_tsdb_wal_storage_size_bytes",
      help: "Bytes of the write-ahead log directory (segments and checkpoints), which size retention counts.",
      registers: [options.metrics],
      async collect() {
        const d = db();
        if (d !== undefined) this.set((await d.storageBytes()).wal);
      },
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    const o = this.#options;
    const segments = await walSegments(join(o.dir, "wal"));
    const min = segments[0] ?? 0;
    const max = segments[segments.length - 1] ?? 0;
    this.#walReplay = { min, max, current: min };
    this.#db = await TSDB.open({
      dir: o.dir,
      logger: o.logger.child({ component: "tsdb" }),
      clock: o.clock,
      retentionMs: o.retentionMs,
      retentionBytes: o.retentionBytes ? o.retentionBytes : undefined,
      compaction: true,
      signal,
    });
    this.#walReplay = { min, max, current: max };
  }

  async stop(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    await db?.close();
  }

  ready(): boolean {
    return this.#db !== undefined;
  }

  appender(): Appender {
    return this.#open().appender();
  }

  querier(mint: number, maxt: number): Promise<Querier> {
    return this.#open().querier(mint, maxt);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /** TSDB.delete: tombstones [mint, maxt] (ms, inclusive) of the matching series. */
  delete(matchers: readonly Matcher[], mint: number, maxt: number, signal?: AbortSignal): Promise<void> {
    return this.#open().delete(matchers, mint, maxt, signal);
  }

  /** TSDB.cleanTombstones: rewrites the blocks with tombstones without the deleted samples. */
  cleanTombstones(signal?: AbortSignal): Promise<void> {
    return this.#open().cleanTombstones(signal);
  }

  /** TSDB.snapshot: links the blocks (and writes the head, when `withHead`) into `dir`. */
  snapshot(dir: string, withHead: boolean, signal?: AbortSignal): Promise<void> {
    return this.#open().snapshot(dir, withHead, signal);
  }

  /** The head's counts for the status API; undefined while the TSDB is not open. */
  headStats(): HeadStatsView | undefined {
    const head = this.#db?.stats().head;
    return head && { series: head.series, chunks: head.chunks, minTime: head.minTime, maxTime: head.maxTime };
  }

  /** Visits the labels of every series with samples in the head's time range. */
  async forEachHeadSeries(visit: (labels: Labels) => void): Promise<void> {
    const db = this.#open();
    const { minTime, maxTime } = db.stats().head;
    if (minTime === undefined || maxTime === undefined) return;
    const q = await db.querier(minTime, maxTime);
    try {
      const set = q.select([]);
      while (set.next()) visit(set.at().labels);
    } finally {
      await q.close();
    }
  }

  /** The WAL segments replayed at start (Prometheus's `/api/v1/status/walreplay`). */
  walReplayStatus(): { min: number; max: number; current: number } {
    return this.#walReplay;
  }

  #open(): TSDB {
    if (!this.#db) throw new Error("tsdb is not open");
    return this.#db;
  }
}

// Indexes of the WAL's segment files (eight-digit names), ascending; none when the WAL is new.
async function walSegments(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /^\d{8}$/.test(n)).map(Number).sort((a, b) => a - b);
}
