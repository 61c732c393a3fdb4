export { formatBlockMeta, parseBlockMeta } from "./meta.js";
export type { BlockCompaction, BlockDesc, BlockMeta, BlockStats } from "./meta.js";
export { InvalidUlidError, UlidGenerator, encodeUlid, ulidTime } from "./ulid.js";
export type { UlidGeneratorOptions, UlidSource } from "./ulid.js";
