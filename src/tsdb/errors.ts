import { MeridianError } from "../model/index.js";

/** Stored TSDB data fails a check (magic, version, checksum, bounds): the file is damaged or not ours. */
export class TsdbCorruptionError extends MeridianError {
  /** The file or section being read, such as `index` or `chunks/000001`. */
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super("tsdb_corruption", `${file}: ${message}`, options);
    this.file = file;
  }
}

/** A writer was given input the format cannot hold (unsorted series, overlapping chunks, a full chunk). */
export class TsdbWriteError extends MeridianError {
  constructor(message: string, options?: ErrorOptions) {
    super("tsdb_invalid_write", message, options);
  }
}
