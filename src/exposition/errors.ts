import { MeridianError } from "../model/index.js";

/** Raised for any exposition body the Prometheus 2.42 scrape path would reject; `line` and `column` are 1-based. */
export class ParseError extends MeridianError {
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column (in Unicode code points) of the offending token. */
  readonly column: number;
  /** The message without the `line:col:` prefix, worded like Prometheus's. */
  readonly reason: string;

  constructor(line: number, column: number, reason: string) {
    super("exposition_parse_error", `${line}:${column}: ${reason}`);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * Builds a ParseError for byte `offset` of `buf`. Positions are computed only when an error is raised,
 * so the hot path never counts lines.
 */
export function parseErrorAt(buf: Uint8Array, offset: number, reason: string): ParseError {
  let line = 1;
  let column = 1;
  const end = Math.min(offset, buf.length);
  for (let i = 0; i < end; i++) {
    const c = buf[i] as number;
    if (c === 0x0a) {
      line++;
      column = 1;
    } else if ((c & 0xc0) !== 0x80) {
      // UTF-8 continuation bytes belong to the previous code point.
      column++;
    }
  }
  return new ParseError(line, column, reason);
}
