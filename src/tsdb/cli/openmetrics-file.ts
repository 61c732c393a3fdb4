import { open, type FileHandle } from "node:fs/promises";
import { createParser, type ExpositionParser } from "../../exposition/index.js";

/** How much of the file one read takes by default: 4 MiB. */
export const DEFAULT_READ_CHUNK_BYTES = 4 * 1024 * 1024;

const NL = 0x0a;
// Ends every piece but the last, so each piece is a whole OpenMetrics body of its own.
const PIECE_END = new TextEncoder().encode("# EOF\n");

/** Options of `OpenMetricsFile.open`. */
export interface OpenMetricsFileOptions {
  /** Bytes read at once (a line longer than this is read whole all the same); 4 MiB by default. */
  readonly readChunkBytes?: number;
  readonly signal?: AbortSignal;
}

/**
 * An OpenMetrics file read in pieces of whole lines, so memory stays bounded by the read size and
 * the longest line whatever the file's size. Each pass (`pieces`) rereads the file from its start.
 *
 * Parsing the pieces one after another accepts and rejects exactly what parsing the whole file at
 * once does, because OpenMetrics lines parse independently (a sample line does not depend on the
 * `# TYPE` before it) and every piece but the last gets an `# EOF` line appended: its parser ends
 * with "eof" where the next piece begins. A piece is cut after a newline and the NUL bytes that
 * follow it (the lexer skips those after a metadata line), and only where more data follows, so a
 * real `# EOF` with data after it still fails as "unexpected data after # EOF" and a file that
 * does not end in `# EOF` fails in its last piece as "data does not end with # EOF". Error
 * positions are counted from the piece's start.
 */
export class OpenMetricsFile {
  readonly #fh: FileHandle;
  readonly #chunk: number;
  readonly #signal: AbortSignal | undefined;

  private constructor(fh: FileHandle, options: OpenMetricsFileOptions) {
    this.#fh = fh;
    this.#chunk = options.readChunkBytes ?? DEFAULT_READ_CHUNK_BYTES;
    this.#signal = options.signal;
  }

  /** Opens `path` for reading; fails as `open` does (ENOENT…), and with EISDIR for a directory. */
  static async open(path: string, options: OpenMetricsFileOptions = {}): Promise<OpenMetricsFile> {
    if (options.readChunkBytes !== undefined && !(Number.isInteger(options.readChunkBytes) && options.readChunkBytes > 0)) {
      throw new RangeError(`readChunkBytes must be a positive integer, got ${options.readChunkBytes}`);
    }
    options.signal?.throwIfAborted();
    const fh = await open(path, "r");
    try {
      if ((await fh.stat()).isDirectory()) {
        throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: "EISDIR" });
      }
    } catch (err) {
      await fh.close();
      throw err;
    }
    return new OpenMetricsFile(fh, options);
  }

  /**
   * One pass over the file: a parser per piece, in file order. Pull each parser until it returns
   * "eof" before taking the next; the parser of the last piece is the one that checks the file's end.
   */
  async *pieces(): AsyncGenerator<ExpositionParser> {
    let carry = new Uint8Array(0);
    let position = 0;
    for (;;) {
      this.#signal?.throwIfAborted();
      const buf = new Uint8Array(carry.length + this.#chunk + PIECE_END.length);
      buf.set(carry);
      const { bytesRead } = await this.#fh.read(buf, carry.length, this.#chunk, position);
      position += bytesRead;
      const end = carry.length + bytesRead;
      if (bytesRead === 0) {
        yield createParser(buf.subarray(0, end), "openmetrics-1.0.0");
        return;
      }
      const cut = pieceEnd(buf, end);
      if (cut === undefined) {
        carry = buf.subarray(0, end);
        continue;
      }
      // A copy: the piece's end marker overwrites the start of the rest.
      carry = buf.slice(cut, end);
      buf.set(PIECE_END, cut);
      yield createParser(buf.subarray(0, cut + PIECE_END.length), "openmetrics-1.0.0");
    }
  }

  /** Closes the file. */
  close(): Promise<void> {
    return this.#fh.close();
  }
}

/**
 * Where the last whole-line piece of `buf[0, end)` ends: after a newline and the NUL bytes that
 * follow it, with at least one byte left after it (so the piece is known not to be the last);
 * undefined when there is no such place yet.
 */
function pieceEnd(buf: Uint8Array, end: number): number | undefined {
  // Two tries at most: when only NULs follow the last newline, the one before it has a
  // non-NUL byte (that newline) after it.
  for (let from = end - 1, tries = 0; tries < 2; tries++) {
    const nl = buf.lastIndexOf(NL, from);
    if (nl < 0) return undefined;
    let cut = nl + 1;
    while (cut < end && buf[cut] === 0) cut++;
    if (cut < end) return cut;
    from = nl - 1;
    if (from < 0) return undefined;
  }
  return undefined;
}
