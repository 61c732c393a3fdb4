// Sizes, names and header bits of the segmented log; FORMAT.md explains them.

/** Segments are written in pages of this many bytes; a fragment never crosses a page. */
export const PAGE_SIZE = 32 * 1024;

/** Fragment header: type byte, BE16 length, BE32 CRC-32C of the data. */
export const FRAGMENT_HEADER_SIZE = 7;

/** Largest fragment payload: a page less one header. */
export const MAX_FRAGMENT_DATA = PAGE_SIZE - FRAGMENT_HEADER_SIZE;

/** Prometheus's default segment size, 128 MiB. */
export const DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

/** Values of the low three bits of a fragment's type byte. */
export const FragmentType = {
  /** The rest of the page is zero padding. */
  PageTerm: 0,
  Full: 1,
  First: 2,
  Middle: 3,
  Last: 4,
} as const;

/** Masks of the type byte: the fragment type and the compression flags. */
export const FRAGMENT_TYPE_MASK = 0x07;
export const SNAPPY_FLAG = 0x08;
export const ZSTD_FLAG = 0x10;

/** Prefix of checkpoint directory names, `checkpoint.00000012`. */
export const CHECKPOINT_PREFIX = "checkpoint.";

/** Suffix of a checkpoint directory still being written. */
export const CHECKPOINT_TMP_SUFFIX = ".tmp";

/** The 8-digit file name of segment `index`. */
export function segmentFileName(index: number): string {
  return String(index).padStart(8, "0");
}

/** The directory name of the checkpoint that covers segments up to and including `index`. */
export function checkpointDirName(index: number): string {
  return CHECKPOINT_PREFIX + segmentFileName(index);
}
