export { STALE_NAN_BITS, isStaleNaN, staleNaN } from "./interface.js";
export type {
  Appendable,
  Appender,
  Querier,
  Queryable,
  SampleIterator,
  SelectHints,
  Series,
  SeriesRef,
  SeriesSet,
  Storage,
} from "./interface.js";
export {
  AppenderDoneError,
  DuplicateSampleError,
  InvalidSampleError,
  OutOfBoundsError,
  OutOfOrderSampleError,
  SampleRejectedError,
  StorageClosedError,
} from "./errors.js";
export type { SampleRejection } from "./errors.js";
export { MemoryStorage } from "./memory-storage.js";
export type { MemoryStorageOptions, MemoryStorageStats } from "./memory-storage.js";
export { ArraySampleIterator, concatIterators, mergeIterators } from "./sample-iterators.js";
export { emptySeriesSet, listSeriesSet, mergeSeriesSets, seriesFromSamples } from "./series-sets.js";
export { runStorageContract } from "./contract.js";
export { intersect as intersectPostings, subtract as subtractPostings, union as mergePostings } from "./postings.js";
export type { Postings } from "./postings.js";
export { LabelIndex } from "./label-index.js";
