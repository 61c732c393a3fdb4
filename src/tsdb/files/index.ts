export { localized, memoryBlockFile, openLocalBlockFile } from "./block-file.js";
export type { BlockFile, SyncBlockFile } from "./block-file.js";
