import { mkdir, open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Clock, Logger } from "../../runtime/index.js";
import { EncodeBuffer, crc32c } from "../encoding/index.js";
import { WalWriteError } from "./errors.js";
import { DEFAULT_SEGMENT_SIZE, FRAGMENT_HEADER_SIZE, FragmentType, PAGE_SIZE, segmentFileName } from "./layout.js";
import { RecordStage } from "./record-stage.js";
import { listSegments } from "./segments.js";

// Reusable buffers larger than this after a write are dropped rather than kept for the next one.
const MAX_RETAINED_BYTES = 8 * 1024 * 1024;

/**
 * When appended records are fsynced: after every group write ("always"), at most once per that
 * many milliseconds (a number; a timer syncs whatever is left once the interval has passed), or
 * only when a segment is completed or the writer closes ("never", which is what Prometheus does).
 */
export type FsyncPolicy = "always" | "never" | number;

/** Options of `WalWriter.open`. */
export interface WalWriterOptions {
  /** The log directory; created when missing. */
  readonly dir: string;
  /** Segment size in bytes, a multiple of 32 KiB; 128 MiB by default. */
  readonly segmentSize?: number;
  /** Fsync policy; "never" by default, like Prometheus. */
  readonly fsync?: FsyncPolicy;
  readonly logger: Logger;
  /** Decides when an interval policy is due. */
  readonly clock: Clock;
}

/** Counters of a writer since it was opened. */
export interface WalWriterStats {
  /** The segment being written. */
  readonly segment: number;
  /** Records appended. */
  readonly records: number;
  /** Bytes written to segment files, padding included. */
  readonly bytes: number;
  /** Fsync calls made. */
  readonly fsyncs: number;
  /** Write calls made (one per group of concurrent `log` calls, plus segment changes). */
  readonly writes: number;
}

interface PendingLog {
  // The call's records are `count` records of `stage` from index `first` on.
  readonly stage: RecordStage;
  readonly first: number;
  readonly count: number;
  readonly signal: AbortSignal | undefined;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Appends records to a Prometheus-format write-ahead log. Opening never writes into an existing
 * segment: it starts the one after the last (read and repair the log first). Records are cut into
 * fragments that never cross a 32 KiB page, and a record never crosses a segment.
 *
 * Concurrency: calls are serialized. `log` calls that arrive while a write is in flight are written
 * together in the next group, with one write and (under "always") one fsync for the whole group.
 * After a failed write the writer refuses further work, because the segment may end in a torn record.
 */
export class WalWriter {
  readonly #dir: string;
  readonly #segmentSize: number;
  readonly #policy: FsyncPolicy;
  readonly #logger: Logger;
  readonly #clock: Clock;
  #fh: FileHandle;
  #segment: number;
  #donePages: number;
  readonly #page = new Uint8Array(PAGE_SIZE);
  #alloc = 0;
  #flushed = 0;
  // Page bytes queued for the next file write, in a buffer reused from write to write.
  #unwritten = new EncodeBuffer(PAGE_SIZE * 4);
  // Records of `log` calls waiting for the next group, and a cleared stage to swap in for them.
  #stage = new RecordStage();
  #spareStage: RecordStage | undefined;
  #dirty = false;
  #lastSync: number;
  #timer: NodeJS.Timeout | undefined;
  #tail: Promise<void> = Promise.resolve();
  #waiting: PendingLog[] = [];
  #groupScheduled = false;
  #failed: unknown;
  #closing: Promise<void> | undefined;
  #records = 0;
  #bytes = 0;
  #fsyncs = 0;
  #writes = 0;

  private constructor(options: WalWriterOptions, fh: FileHandle, segment: number, donePages: number) {
    this.#dir = options.dir;
    this.#segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    this.#policy = options.fsync ?? "never";
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#fh = fh;
    this.#segment = segment;
    this.#donePages = donePages;
    this.#lastSync = options.clock.now();
  }

  /** Opens a writer on a new segment after the last existing one (segment 0 in an empty directory). */
  static async open(options: WalWriterOptions): Promise<WalWriter> {
    const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    if (segmentSize <= 0 || segmentSize % PAGE_SIZE !== 0) {
      throw new WalWriteError(`invalid segment size ${segmentSize}: must be a positive multiple of ${PAGE_SIZE}`);
    }
    const policy = options.fsync ?? "never";
    if (typeof policy === "number" && !(policy > 0)) throw new WalWriteError(`invalid fsync interval ${policy}ms`);
    await mkdir(options.dir, { recursive: true });
    const segments = await listSegments(options.dir);
    const index = segments.length === 0 ? 0 : (segments[segments.length - 1]?.index ?? -1) + 1;
    const { fh, donePages } = await createSegment(options.dir, index);
    return new WalWriter(options, fh, index, donePages);
  }

  /** The index of the segment being written. */
  get segment(): number {
    return this.#segment;
  }

  /** Counters since open. */
  stats(): WalWriterStats {
    return { segment: this.#segment, records: this.#records, bytes: this.#bytes, fsyncs: this.#fsyncs, writes: this.#writes };
  }

  /**
   * Appends `records` in order and resolves once they are written to the segment file (and
   * fsynced when the policy says so). The records are copied before `log` returns, so the caller
   * may reuse their memory at once. Aborting only helps while the call still waits for its group;
   * once writing started the records are written whole, so the log never tears on purpose.
   */
  log(records: readonly Uint8Array[], signal?: AbortSignal): Promise<void> {
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const stage = this.#stage;
    const first = stage.count;
    for (const rec of records) stage.add(rec);
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ stage, first, count: records.length, signal, resolve, reject });
      if (this.#groupScheduled) return;
      this.#groupScheduled = true;
      void this.#serial(() => this.#writeGroup());
    });
  }

  /** Completes the current segment (padding its last page) and starts the next; returns its index. */
  nextSegment(signal?: AbortSignal): Promise<number> {
    return this.#serialChecked(signal, async () => {
      await this.#cutSegment();
      return this.#segment;
    });
  }

  /** Fsyncs the current segment now, whatever the policy. */
  sync(signal?: AbortSignal): Promise<void> {
    return this.#serialChecked(signal, () => this.#fsync());
  }

  /** Writes out and pads the last page, fsyncs and closes the segment. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#serial(async () => {
      clearTimeout(this.#timer);
      try {
        if (this.#failed === undefined) {
          if (this.#alloc > 0) this.#flushPage(true);
          await this.#writeOut();
          await this.#fsync();
        }
      } finally {
        await this.#fh.close();
      }
    });
    return this.#closing;
  }

  #refusal(): WalWriteError | undefined {
    if (this.#closing !== undefined) return new WalWriteError(`wal writer for ${this.#dir} is closed`);
    if (this.#failed !== undefined) {
      return new WalWriteError(`wal writer for ${this.#dir} failed earlier and accepts no more writes`, { cause: this.#failed });
    }
    return undefined;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn);
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #serialChecked<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      const refused = this.#refusal();
      if (refused !== undefined) throw refused;
      signal?.throwIfAborted();
      try {
        return await fn();
      } catch (err) {
        throw this.#fail(err, "wal segment change or sync failed");
      }
    });
  }

  async #writeGroup(): Promise<void> {
    this.#groupScheduled = false;
    const group = this.#waiting;
    this.#waiting = [];
    // Later calls stage into the other buffer while this group is written from this one.
    const stage = this.#stage;
    this.#stage = this.#spareStage ?? new RecordStage();
    this.#spareStage = undefined;
    try {
      await this.#writeStaged(group);
    } finally {
      stage.clear();
      // One huge group (the first scrape of a million series) does not pin its memory for good.
      if (stage.capacity <= MAX_RETAINED_BYTES) this.#spareStage = stage;
    }
  }

  async #writeStaged(group: readonly PendingLog[]): Promise<void> {
    const live: PendingLog[] = [];
    for (const entry of group) {
      if (entry.signal?.aborted) entry.reject(entry.signal.reason);
      else live.push(entry);
    }
    if (live.length === 0) return;
    // A group queued before `close` is still written; only an earlier failure stops it.
    if (this.#failed !== undefined) {
      const refused = this.#refusal();
      for (const entry of live) entry.reject(refused);
      return;
    }
    try {
      for (const entry of live) {
        for (let i = 0; i < entry.count; i++) await this.#append(entry.stage.record(entry.first + i));
      }
      if (this.#alloc > this.#flushed) this.#flushPage(false);
      await this.#writeOut();
      await this.#syncByPolicy();
    } catch (err) {
      const failure = this.#fail(err, "wal write failed");
      for (const entry of live) entry.reject(failure);
      return;
    }
    for (const entry of live) entry.resolve();
  }

  /** Places one record into pages, as Prometheus's `log` does, cutting a segment when it won't fit. */
  async #append(rec: Uint8Array): Promise<void> {
    if (this.#pageFull()) this.#flushPage(true);
    const pagesLeft = this.#segmentSize / PAGE_SIZE - this.#donePages - 1;
    const room = PAGE_SIZE - this.#alloc - FRAGMENT_HEADER_SIZE + (PAGE_SIZE - FRAGMENT_HEADER_SIZE) * pagesLeft;
    if (rec.length > room) await this.#cutSegment();
    let rest = rec;
    // One pass at least, so an empty record is still written as an empty full fragment.
    for (let i = 0; i === 0 || rest.length > 0; i++) {
      const n = Math.min(rest.length, PAGE_SIZE - this.#alloc - FRAGMENT_HEADER_SIZE);
      const part = rest.subarray(0, n);
      const last = n === rest.length;
      const type = i === 0 ? (last ? FragmentType.Full : FragmentType.First) : last ? FragmentType.Last : FragmentType.Middle;
      const p = this.#alloc;
      const crc = crc32c(part);
      this.#page[p] = type;
      this.#page[p + 1] = n >>> 8;
      this.#page[p + 2] = n & 0xff;
      this.#page[p + 3] = crc >>> 24;
      this.#page[p + 4] = (crc >>> 16) & 0xff;
      this.#page[p + 5] = (crc >>> 8) & 0xff;
      this.#page[p + 6] = crc & 0xff;
      this.#page.set(part, p + FRAGMENT_HEADER_SIZE);
      this.#alloc += FRAGMENT_HEADER_SIZE + n;
      if (this.#pageFull()) this.#flushPage(true);
      rest = rest.subarray(n);
    }
    this.#records++;
  }

  #pageFull(): boolean {
    return PAGE_SIZE - this.#alloc < FRAGMENT_HEADER_SIZE;
  }

  /** Queues the page's unwritten bytes; when clearing, pads the page to its end and starts a new one. */
  #flushPage(clear: boolean): void {
    const complete = clear || this.#pageFull();
    if (complete) this.#alloc = PAGE_SIZE;
    if (this.#alloc > this.#flushed) this.#unwritten.putBytes(this.#page.subarray(this.#flushed, this.#alloc));
    this.#flushed = this.#alloc;
    if (complete) {
      this.#page.fill(0);
      this.#alloc = 0;
      this.#flushed = 0;
      this.#donePages++;
    }
  }

  async #writeOut(): Promise<void> {
    if (this.#unwritten.length === 0) return;
    const buf = this.#unwritten.bytes;
    try {
      for (let off = 0; off < buf.length; ) {
        const { bytesWritten } = await this.#fh.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
    } finally {
      if (this.#unwritten.capacity > MAX_RETAINED_BYTES) this.#unwritten = new EncodeBuffer(PAGE_SIZE * 4);
      else this.#unwritten.reset();
    }
    this.#bytes += buf.length;
    this.#writes++;
    this.#dirty = true;
  }

  async #syncByPolicy(): Promise<void> {
    if (this.#policy === "always") {
      await this.#fsync();
      return;
    }
    if (this.#policy === "never" || !this.#dirty) return;
    if (this.#clock.now() - this.#lastSync >= this.#policy) {
      await this.#fsync();
      return;
    }
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (this.#closing !== undefined || this.#failed !== undefined) return;
        this.#serial(() => this.#fsync()).catch((err: unknown) => {
          this.#fail(err, "wal interval fsync failed");
        });
      }, this.#policy);
      this.#timer.unref();
    }
  }

  async #fsync(): Promise<void> {
    await this.#fh.sync();
    this.#fsyncs++;
    this.#dirty = false;
    this.#lastSync = this.#clock.now();
  }

  async #cutSegment(): Promise<void> {
    if (this.#alloc > 0) this.#flushPage(true);
    await this.#writeOut();
    const next = await createSegment(this.#dir, this.#segment + 1);
    const prev = this.#fh;
    const prevIndex = this.#segment;
    this.#fh = next.fh;
    this.#segment += 1;
    this.#donePages = next.donePages;
    // A completed segment is always made durable, as Prometheus does, whatever the policy.
    try {
      await prev.sync();
      this.#fsyncs++;
    } finally {
      await prev.close();
    }
    this.#dirty = false;
    this.#logger.debug({ dir: this.#dir, completed: prevIndex, segment: this.#segment }, "wal segment cut");
  }

  #fail(err: unknown, what: string): WalWriteError {
    const failure = err instanceof WalWriteError ? err : new WalWriteError(`${what} in ${this.#dir}: ${(err as Error).message}`, { cause: err });
    if (this.#failed === undefined) {
      this.#failed = failure;
      this.#logger.error({ dir: this.#dir, segment: this.#segment, err: failure }, "wal write failed; writer stopped");
    }
    return failure;
  }
}

async function createSegment(dir: string, index: number): Promise<{ fh: FileHandle; donePages: number }> {
  const fh = await open(join(dir, segmentFileName(index)), "a");
  try {
    const size = (await fh.stat()).size;
    return { fh, donePages: Math.floor(size / PAGE_SIZE) };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
