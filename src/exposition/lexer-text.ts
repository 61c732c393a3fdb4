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
  T_VALUE,
  T_WHITESPACE,
} from "./tokens.js";

const S_INIT = 0;
const S_COMMENT = 1;
const S_META1 = 2;
const S_META2 = 3;
const S_LABELS = 4;
const S_LVALUE = 5;
const S_VALUE = 6;
const S_TIMESTAMP = 7;

const NL = 0x0a;
const SP = 0x20;
const TAB = 0x09;

/**
 * Lexer for Prometheus text format 0.0.4. It reproduces the state machine Prometheus 2.42 generates
 * from promlex.l, including its quirks (no backtracking, NUL bytes skipped inside label values,
 * help text and comments, a NUL at a line start ending the input), because scrape acceptance
 * depends on them. The buffer must end with the `\n` Prometheus appends to every body.
 */
export class TextLexer {
  /** The input, ending with an appended `\n`. */
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

  #whitespace(): number {
    let c = this.#next();
    while (c === SP || c === TAB) c = this.#next();
    return T_WHITESPACE;
  }

  #consumeComment(): number {
    for (let c = this.i < this.#n ? (this.b[this.i] as number) : 0; ; c = this.#next()) {
      if (c === 0) return T_EOF;
      if (c === NL) {
        this.#state = S_INIT;
        return T_COMMENT;
      }
    }
  }

  #keyword(c: number, word: string, tok: number): number {
    // `c` matched word[0]; the rest must follow, then at least one blank.
    for (let k = 1; k < word.length; k++) {
      if (this.#next() !== word.charCodeAt(k)) return this.#consumeComment();
    }
    c = this.#next();
    if (c !== SP && c !== TAB) return this.#consumeComment();
    while (c === SP || c === TAB) c = this.#next();
    this.#state = S_META1;
    return tok;
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
        if (c === NL) {
          this.i = i + 1;
          return T_LINEBREAK;
        }
        if (c === SP || c === TAB) return this.#whitespace();
        if (c === 0x23) {
          c = this.#next();
          if (c !== SP && c !== TAB) return this.#consumeComment();
          while (c === SP || c === TAB) c = this.#next();
          this.#state = S_COMMENT;
          if (c === 0x48) return this.#keyword(c, "HELP", T_HELP);
          if (c === 0x54) return this.#keyword(c, "TYPE", T_TYPE);
          return this.#consumeComment();
        }
        if (c === 0) {
          this.i = i + 1;
          return T_EOF;
        }
        return T_INVALID;
      case S_COMMENT:
        return this.#consumeComment();
      case S_META1:
        if ((CLASS[c] as number) & C_MSTART) {
          i++;
          while (i < n && (CLASS[b[i] as number] as number) & C_MREST) i++;
          this.i = i;
          this.#state = S_META2;
          return T_MNAME;
        }
        if (c === SP || c === TAB) return this.#whitespace();
        return T_INVALID;
      case S_META2:
        if (c === SP || c === TAB) {
          c = this.#next();
          while (c === SP || c === TAB) c = this.#next();
          if (c === 0 || c === NL) return T_WHITESPACE;
        } else if (c === 0 || c === NL) {
          // An empty text token: Prometheus matches `{C}*` on nothing.
          this.#state = S_INIT;
          return T_TEXT;
        }
        i = this.i;
        while (i < n && b[i] !== NL) i++;
        this.i = i;
        this.#state = S_INIT;
        return T_TEXT;
      case S_LABELS:
        if ((CLASS[c] as number) & C_LSTART) {
          i++;
          while (i < n && (CLASS[b[i] as number] as number) & C_LREST) i++;
          this.i = i;
          return T_LNAME;
        }
        if (c === 0x3d) {
          this.i = i + 1;
          this.#state = S_LVALUE;
          return T_EQUAL;
        }
        if (c === 0x2c) {
          this.i = i + 1;
          return T_COMMA;
        }
        if (c === 0x7d) {
          this.i = i + 1;
          this.#state = S_VALUE;
          return T_BRACECLOSE;
        }
        if (c === SP || c === TAB) return this.#whitespace();
        return T_INVALID;
      case S_LVALUE:
        if (c === 0x22) return this.#labelValue(i + 1);
        if (c === SP || c === TAB) return this.#whitespace();
        return T_INVALID;
      case S_VALUE:
        if (c === SP || c === TAB) return this.#whitespace();
        if (c === 0x7b) {
          this.i = i + 1;
          this.#state = S_LABELS;
          return T_BRACEOPEN;
        }
        if (c === 0 || c === NL) return T_INVALID;
        i++;
        while (i < n) {
          c = b[i] as number;
          if (c === SP || c === NL || c === TAB || c === 0x7b || c === 0) break;
          i++;
        }
        this.i = i;
        this.#state = S_TIMESTAMP;
        return T_VALUE;
      case S_TIMESTAMP:
        if (c === NL) {
          this.i = i + 1;
          this.#state = S_INIT;
          return T_LINEBREAK;
        }
        if (c === SP || c === TAB) return this.#whitespace();
        if (c >= 0x30 && c <= 0x39) {
          i++;
          while (i < n && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x39) i++;
          this.i = i;
          return T_TIMESTAMP;
        }
        return T_INVALID;
    }
    return T_INVALID;
  }

  #labelValue(i: number): number {
    // Inside quotes NUL bytes are skipped (so they act as content) and raw newlines are allowed.
    const b = this.b;
    const n = this.#n;
    let high = 0;
    while (i < n) {
      const c = b[i] as number;
      if (c === 0x22) {
        // Prometheus's look-ahead past the closing quote still skips NULs.
        i++;
        while (i < n && b[i] === 0) i++;
        this.i = i;
        this.highBit = high >= 0x80;
        this.#state = S_LABELS;
        return T_LVALUE;
      }
      if (c === 0x5c) {
        i++;
        while (i < n && b[i] === 0) i++;
        if (i >= n || b[i] === NL) break;
      }
      high |= b[i] as number;
      i++;
    }
    this.i = i;
    return T_INVALID;
  }
}
