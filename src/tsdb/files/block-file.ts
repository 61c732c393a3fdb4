import { readSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { TsdbCorruptionError } from "../errors.js";

/**
 * One immutable file of a block, read by byte range. This is the seam for object stores: a bucket
 * implementation only needs `size` and ranged `read`. Offsets and lengths are in bytes; a range
 * past `size` is refused. Returned bytes belong to the caller.
 */
export interface BlockFile {
  /** A name for messages, such as `01H…/index`. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `offset`. */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * The same read, synchronous; present only when the bytes are local (disk or memory).
   * Streaming queriers need it because series sets are pulled synchronously.
   */
  readSync?(offset: number, length: number): Uint8Array;
  /** Releases the file; reads afterwards fail. */
  close(): Promise<void>;
}

/** A BlockFile whose bytes are local, so it can also be read synchronously. */
export type SyncBlockFile = BlockFile & Required<Pick<BlockFile, "readSync">>;

/** A BlockFile over bytes in memory (tests, and remote files fetched whole). */
export function memoryBlockFile(name: string, bytes: Uint8Array): SyncBlockFile {
  const readSync = (offset: number, length: number): Uint8Array => {
    checkRange(name, bytes.length, offset, length);
    return bytes.slice(offset, offset + length);
  };
  return {
    name,
    size: bytes.length,
    readSync,
    read: async (offset, length, signal) => {
      signal?.throwIfAborted();
      return readSync(offset, length);
    },
    close: async () => {},
  };
}

/** Opens a local file for positional reads; the descriptor stays open until `close`. */
export async function openLocalBlockFile(path: string, name = path, signal?: AbortSignal): Promise<SyncBlockFile> {
  signal?.throwIfAborted();
  const handle: FileHandle = await open(path, "r");
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (err) {
    await handle.close();
    throw err;
  }
  const fd = handle.fd;
  return {
    name,
    size,
    readSync(offset, length) {
      checkRange(name, size, offset, length);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new TsdbCorruptionError(name, `file shrank while reading at ${offset + done}`);
        done += n;
      }
      return out;
    },
    async read(offset, length, readSignal) {
      readSignal?.throwIfAborted();
      checkRange(name, size, offset, length);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new TsdbCorruptionError(name, `file shrank while reading at ${offset + done}`);
        done += bytesRead;
      }
      return out;
    },
    close: () => handle.close(),
  };
}

/** A file that can be read synchronously: itself when local, else its bytes fetched into memory. */
export async function localized(file: BlockFile, signal?: AbortSignal): Promise<SyncBlockFile> {
  if (file.readSync !== undefined) return file as SyncBlockFile;
  const bytes = await file.read(0, file.size, signal);
  await file.close();
  return memoryBlockFile(file.name, bytes);
}

function checkRange(name: string, size: number, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > size) {
    throw new TsdbCorruptionError(name, `range [${offset}, ${offset + length}) is outside the file of ${size} bytes`);
  }
}
