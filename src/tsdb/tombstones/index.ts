export { TOMBSTONES_MAGIC, addInterval, decodeTombstones, encodeTombstones, isDeleted } from "./tombstones.js";
export type { Interval, Tombstones } from "./tombstones.js";
