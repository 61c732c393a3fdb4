export { Journal } from "./journal.js";
export type { OpenedJournal } from "./journal.js";
export type { JournalOptions, JournalStats } from "./options.js";
export { jsonCodec } from "./codec.js";
export type { JournalCodec } from "./codec.js";
export { JournalClosedError, JournalCorruptError, JournalFailedError, JournalRecordTooLargeError } from "./errors.js";
