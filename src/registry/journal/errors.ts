import { MeridianError } from "../../model/index.js";

/**
 * Raised when the journal's files hold damage that a crash cannot explain (anything but a torn
 * tail of the newest segment), so replaying past it would silently lose acknowledged writes.
 */
export class JournalCorruptError extends MeridianError {
  /** Path of the damaged file. */
  readonly file: string;
  /** Byte offset of the damage within `file`, when it is known. */
  readonly offset: number | undefined;

  constructor(file: string, reason: string, options: { offset?: number; cause?: unknown } = {}) {
    const where = options.offset === undefined ? file : `${file} at byte ${options.offset}`;
    super("journal_corrupt", `journal corrupt: ${where}: ${reason}`, { cause: options.cause });
    this.file = file;
    this.offset = options.offset;
  }
}

/** Raised by calls made after `close()` started. */
export class JournalClosedError extends MeridianError {
  constructor() {
    super("journal_closed", "journal is closed");
  }
}

/**
 * Raised by every write once one write or fsync has failed: after a failed fsync the kernel may
 * have dropped dirty pages, so only reopening (which re-reads what is really on disk) is safe.
 */
export class JournalFailedError extends MeridianError {
  constructor(cause: unknown) {
    super("journal_failed", `journal failed after an I/O error and must be reopened: ${String(cause)}`, { cause });
  }
}

/** Raised when one encoded record is larger than the journal accepts. */
export class JournalRecordTooLargeError extends MeridianError {
  /** Encoded size of the refused record in bytes. */
  readonly size: number;
  /** The limit in force, in bytes. */
  readonly limit: number;

  constructor(size: number, limit: number) {
    super("journal_record_too_large", `journal record of ${size} bytes exceeds the limit of ${limit} bytes`);
    this.size = size;
    this.limit = limit;
  }
}
