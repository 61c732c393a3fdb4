import {
  CLASS,
  C_LREST,
  C_LSTART,
  C_MREST,
  C_MSTART,
  T_BRACECLOSE,
  T_BRACEOPEN,
  T_COMMA,
  T_COMMENT,
  T_EOF,
  T_EOFWORD,
  T_EQUAL,
  T_HELP,
  T_INVALID,
  T_LINEBREAK,
  T_LNAME,
  T_LVALUE,
  T_MNAME,
  T_TEXT,
  T_TIMESTAMP,
  T_TYPE,
  T_UNIT,
  T_VALUE,
} from "./tokens.js";

const S_INIT = 0;
const S_COMMENT = 1;
const S_META1 = 2;
const S_META2 = 3;
const S_LABELS = 4;
const S_LVALUE = 5;
const S_VALUE = 6;
const S_TIMESTAMP = 7;
const S_EXEMPLAR = 8;
const S_EVALUE = 9;
const S_ETIMESTAMP = 10;

const NL = 0x0a;
const SP = 0x20;

/**
 * Lexer for OpenMetrics 1.0.0 text, reproducing the state machine Prometheus 2.42 generates from
 * openmetricslex.l: single spaces only, no blank lines or free comments, `# EOF` required, NUL bytes
 * skipped inside label values and help text, no backtracking after a partial match.
 */
export class OpenMetricsLexer {
  /** The input. */
  readonly b: Uint8Array;
  /** Position of the next unread byte. */
  i = 0;
  /** Start of the last token. */
  start = 0;
  /** Whether the last label value held a byte >= 0x80 (so it needs UTF-8 validation). */
  highBit = false;
  #state = S_INIT;
  readonly #n: number;

  constructor(b: Uint8Array) {
    this.b = b;
    this.#n = b.length;
  }

  #next(): number {
    const n = this.#n;
    if (++this.i >= n) return 0;
    let c = this.b[this.i] as number;
    const s = this.#state;
    if (c === 0 && (s === S_LVALUE || s === S_META2 || s === S_COMMENT)) {
      while (c === 0) {
        if (++this.i >= n) return 0;
        c = this.b[this.i] as number;
      }
    }
    return c;
  }

  #word(word: string): boolean {
    for (let k = 1; k < word.length; k++) if (this.#next() !== word.charCodeAt(k)) return false;
    return true;
  }

  /** Scans `[^ \n]+` (NUL also ends it) from the current byte; false when it is empty. */
  #run(i: number): boolean {
    const b = this.b;
    const n = this.#n;
    const s = i;
    while (i < n) {
      const c = b[i] as number;
      if (c === SP || c === NL || c === 0) break;
      i++;
    }
    this.i = i;
    return i > s;
  }

  /** Returns the next token; `start` and `i` delimit it. */
  lex(): number {
    const b = this.b;
    const n = this.#n;
    let i = this.i;
    if (i >= n) return T_EOF;
    let c = b[i] as number;
    this.start = i;
    switch (this.#state) {
      case S_INIT:
        if ((CLASS[c] as number) & C_MSTART) {
          i++;
          while (i < n && (CLASS[b[i] as number] as number) & C_MREST) i++;
          this.i = i;
          this.#state = S_VALUE;
          return T_MNAME;
        }
        if (c !== 0x23) return T_INVALID;
        if (this.#next() !== SP) return T_INVALID;
        c = this.#next();
        this.#state = S_COMMENT;
        return this.#comment(c);
      case S_META1:
        if ((CLASS[c] as number) & C_MSTART) {
          i++;
          while (i < n && (CLASS[b[i] as number] as number) & C_MREST) i++;
          this.i = i;
          this.#state = S_META2;
          return T_MNAME;
        }
        return T_INVALID;
      case S_META2:
        // ` text\n`: NUL bytes inside are skipped by Prometheus's next(), so only the newline ends it.
        if (c !== SP) return T_INVALID;
        i++;
        while (i < n && b[i] !== NL) i++;
        if (i >= n) {
          this.i = i;
          return T_INVALID;
        }
        // The look-ahead after the newline still skips NULs (state is sMeta2 until the rule fires).
        i++;
        while (i < n && b[i] === 0) i++;
        this.i = i;
        this.#state = S_INIT;
        return T_TEXT;
      case S_LABELS:
      case S_EXEMPLAR: {
        const ex = this.#state === S_EXEMPLAR;
        if ((CLASS[c] as number) & C_LSTART) {
          i++;
          while (i < n && (CLASS[b[i] as number] as number) & C_LREST) i++;
          this.i = i;
          return T_LNAME;
        }
        if (c === 0x3d) {
          this.i = i + 1;
          this.#state = ex ? S_EVALUE : S_LVALUE;
          return T_EQUAL;
        }
        if (c === 0x2c) {
          this.i = i + 1;
          return T_COMMA;
        }
        if (c === 0x7d) {
          this.i = i + 1;
          this.#state = ex ? S_EVALUE : S_VALUE;
          return T_BRACECLOSE;
        }
        return T_INVALID;
      }
      case S_LVALUE:
        if (c !== 0x22) return T_INVALID;
        return this.#labelValue(i + 1, true, S_LABELS);
      case S_EVALUE:
        if (c === 0x22) return this.#labelValue(i + 1, false, S_EXEMPLAR);
        if (c === SP && this.#run(i + 1)) {
          this.#state = S_ETIMESTAMP;
          return T_VALUE;
        }
        return T_INVALID;
      case S_VALUE:
        if (c === 0x7b) {
          this.i = i + 1;
          this.#state = S_LABELS;
          return T_BRACEOPEN;
        }
        if (c === SP && this.#run(i + 1)) {
          this.#state = S_TIMESTAMP;
          return T_VALUE;
        }
        return T_INVALID;
      case S_TIMESTAMP:
        if (c === NL) {
          this.i = i + 1;
          this.#state = S_INIT;
          return T_LINEBREAK;
        }
        if (c !== SP) return T_INVALID;
        i++;
        if (i < n && b[i] === 0x23) {
          // ` #` may start an exemplar (` # {`) or be a timestamp; Prometheus's lexer does not back
          // up, so ` # ` followed by anything but `{` is invalid.
          const c2 = i + 1 < n ? (b[i + 1] as number) : 0;
          if (c2 === SP) {
            if (i + 2 < n && b[i + 2] === 0x7b) {
              this.i = i + 3;
              this.#state = S_EXEMPLAR;
              return T_COMMENT;
            }
            this.i = i + 2;
            return T_INVALID;
          }
        }
        return this.#run(i) ? T_TIMESTAMP : T_INVALID;
      case S_ETIMESTAMP:
        if (c === NL) {
          this.i = i + 1;
          this.#state = S_INIT;
          return T_LINEBREAK;
        }
        if (c === SP && this.#run(i + 1)) return T_TIMESTAMP;
        return T_INVALID;
    }
    return T_INVALID;
  }

  #comment(c: number): number {
    let tok: number;
    if (c === 0x48 && this.#word("HELP")) tok = T_HELP;
    else if (c === 0x54 && this.#word("TYPE")) tok = T_TYPE;
    else if (c === 0x55 && this.#word("UNIT")) tok = T_UNIT;
    else if (c === 0x45 && this.#word("EOF")) {
      // `EOF` with an optional newline; what follows is checked by the parser.
      // Prometheus reads one byte past the token, skipping NULs as it does in comments.
      if (this.#next() === NL) this.#next();
      this.#state = S_INIT;
      return T_EOFWORD;
    } else return T_INVALID;
    if (this.#next() !== SP) return T_INVALID;
    this.#next();
    this.#state = S_META1;
    return tok;
  }

  #labelValue(i: number, skipNul: boolean, after: number): number {
    // Series label values skip NUL bytes (Prometheus's next() does); exemplar values reject them.
    const b = this.b;
    const n = this.#n;
    let high = 0;
    while (i < n) {
      const c = b[i] as number;
      if (c === 0x22) {
        i++;
        if (skipNul) while (i < n && b[i] === 0) i++;
        this.i = i;
        this.highBit = high >= 0x80;
        this.#state = after;
        return T_LVALUE;
      }
      if (c === NL || (c === 0 && !skipNul)) break;
      if (c === 0x5c) {
        i++;
        if (skipNul) while (i < n && b[i] === 0) i++;
        if (i >= n || b[i] === NL || b[i] === 0) break;
      }
      high |= b[i] as number;
      i++;
    }
    this.i = i;
    return T_INVALID;
  }
}
