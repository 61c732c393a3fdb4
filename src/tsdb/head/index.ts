// The TSDB head: in-memory series, XOR chunks, postings, WAL-first commits.
export { Head } from "./head.js";
export type { HeadLog, HeadOptions, HeadRejection, HeadStats } from "./head.js";
export { SAMPLES_PER_HEAD_CHUNK } from "./head-series.js";
