import { MeridianError } from "../model/index.js";

/**
 * Why a sample was rejected. The messages are Prometheus's own (`storage.ErrOutOfOrderSample` and
 * friends), because scrape reports and remote-write answers quote them verbatim.
 */
export type SampleRejection = "out_of_order_sample" | "duplicate_sample" | "out_of_bounds";

/** Base class of the errors an Appender raises for one sample; the rest of the batch is unaffected. */
export class SampleRejectedError extends MeridianError {
  /** Time of the rejected sample (ms). */
  readonly t: number;

  constructor(code: SampleRejection, message: string, t: number) {
    super(code, message);
    this.t = t;
  }
}

/** The sample is older than the newest sample of its series (Prometheus's "out of order sample"). */
export class OutOfOrderSampleError extends SampleRejectedError {
  constructor(t: number) {
    super("out_of_order_sample", "out of order sample", t);
  }
}

/**
 * The series already holds a different value at this exact time (Prometheus's "duplicate sample
 * for timestamp"); the same value again is accepted silently, since scrapes are retried.
 */
export class DuplicateSampleError extends SampleRejectedError {
  constructor(t: number) {
    super("duplicate_sample", "duplicate sample for timestamp", t);
  }
}

/** The sample is older than the storage keeps (Prometheus's "out of bounds"). */
export class OutOfBoundsError extends SampleRejectedError {
  constructor(t: number) {
    super("out_of_bounds", "out of bounds", t);
  }
}

/** The storage was closed; no appender or querier may be used any more. */
export class StorageClosedError extends MeridianError {
  constructor() {
    super("storage_closed", "storage is closed");
  }
}

/** The sample cannot be stored at all (Prometheus's "invalid sample"), e.g. an empty label set. */
export class InvalidSampleError extends MeridianError {
  constructor(reason: string) {
    super("invalid_sample", `${reason}: invalid sample`);
  }
}

/** An appender was used after its commit or rollback. */
export class AppenderDoneError extends MeridianError {
  constructor() {
    super("appender_done", "appender has already been committed or rolled back");
  }
}
