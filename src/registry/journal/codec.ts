/**
 * Turns snapshot states and records into bytes and back; encoders run synchronously inside the
 * caller's `append`/`snapshot` call so later mutation of the value cannot change what is written.
 */
export interface JournalCodec<S, R> {
  /** Encodes one record into bytes that `decodeRecord` turns back into an equal record. */
  encodeRecord(record: R): Uint8Array;
  /** Decodes bytes produced by `encodeRecord`; may throw, which replay reports as corruption. */
  decodeRecord(bytes: Uint8Array): R;
  /** Encodes a whole snapshot state. */
  encodeSnapshot(state: S): Uint8Array;
  /** Decodes bytes produced by `encodeSnapshot`; may throw, which replay reports as corruption. */
  decodeSnapshot(bytes: Uint8Array): S;
}

/** The default codec: UTF-8 JSON for both records and snapshots. */
export function jsonCodec<S, R>(): JournalCodec<S, R> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const encode = (value: unknown): Uint8Array => {
    const text = JSON.stringify(value);
    // JSON.stringify returns undefined for undefined and functions; writing that would not replay.
    if (typeof text !== "string") throw new TypeError("journal value is not JSON-serializable");
    return Buffer.from(text, "utf8");
  };
  return {
    encodeRecord: encode,
    decodeRecord: (bytes) => JSON.parse(decoder.decode(bytes)) as R,
    encodeSnapshot: encode,
    decodeSnapshot: (bytes) => JSON.parse(decoder.decode(bytes)) as S,
  };
}
