/**
 * A tokenizer that splits PromQL as Prometheus's own lexer (`promql/parser/lex.go`) does. The
 * syntax tree comes from lezer, which is more forgiving about tokens (unterminated strings, bad
 * escapes, `=~` outside braces); this lexer finds the errors Prometheus reports while lexing, with
 * its wording and positions, and names the tokens in syntax errors (`unexpected <op:*>`).
 * Positions are UTF-16 offsets into the query.
 */
import { goQuote } from "../../model/index.js";

/** Token classes, named as Prometheus describes them in errors. */
export type TokenKind =
  | "eof"
  | "identifier"
  | "metric identifier"
  | "string"
  | "number"
  | "duration"
  | "op"
  | "aggr"
  | "keyword"
  | "preproc"
  | "punct";

/** One token; `text` is the query text it covers. */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The first lexical error: Prometheus stops lexing there. */
export interface LexError {
  readonly reason: string;
  /** Where Prometheus says the error is (its range always runs to the end of the query). */
  readonly start: number;
  /** Where the token that failed began; used to order it against syntax errors. */
  readonly tokenStart: number;
}

/** The tokens before the first error (comments left out), ending with an `eof` token when lexing succeeded. */
export interface LexResult {
  readonly tokens: readonly Token[];
  readonly error: LexError | undefined;
}

const EOF = -1;

// Prometheus's keyword table; lookups are case-insensitive.
const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ...["and", "or", "unless", "atan2"].map((k) => [k, "op"] as const),
  ...[
    "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values", "quantile",
    "limitk", "limit_ratio",
  ].map((k) => [k, "aggr"] as const),
  ...[
    "offset", "smoothed", "anchored", "by", "without", "on", "ignoring", "group_left", "group_right", "fill",
    "fill_left", "fill_right", "bool",
  ].map((k) => [k, "keyword"] as const),
  ...["start", "end", "step", "range"].map((k) => [k, "preproc"] as const),
  ["inf", "number"],
  ["nan", "number"],
]);

const FILL_KEYWORDS = new Set(["fill", "fill_left", "fill_right"]);
// Words a duration expression may contain (`step()`, `min_of(a, b)`); `min`/`max` are older spellings.
const DURATION_KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ["step", "preproc"],
  ["range", "preproc"],
  ["min", "aggr"],
  ["max", "aggr"],
  ["min_of", "identifier"],
  ["max_of", "identifier"],
]);

type State = ((l: Lexer) => State) | undefined;

/** Splits `input` into Prometheus's tokens, stopping at the first lexical error. */
export function lex(input: string): LexResult {
  const l = new Lexer(input);
  let state: State = lexStatements;
  while (state !== undefined) state = state(l);
  return { tokens: l.tokens, error: l.error };
}

/** Prometheus's description of a token in "unexpected …" messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "end of input";
    case "identifier":
    case "metric identifier":
      return `${t.kind} ${goQuote(t.text)}`;
    case "number":
    case "duration":
    case "string":
      return `${t.kind} ${quoteShort(t.text)}`;
    case "keyword":
      return `<${t.text}>`;
    case "op":
      return `<op:${t.text}>`;
    case "aggr":
      return `<aggr:${t.text}>`;
    case "preproc":
    case "punct":
      return quoteShort(t.text);
  }
}

// Go's `%.10q...` for values longer than ten bytes.
function quoteShort(s: string): string {
  if (Buffer.byteLength(s) <= 10) return goQuote(s);
  return `${goQuote([...s].slice(0, 10).join(""))}...`;
}

/** Go's `%q` of a rune: `'x'`, `'\n'`, `'\x00'`; an invalid rune (such as end of input) prints as U+FFFD. */
export function goQuoteRune(cp: number): string {
  if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "'\ufffd'";
  if (cp === 0x27) return "'\\''";
  const quoted = goQuote(String.fromCodePoint(cp));
  return `'${quoted.slice(1, -1).replace(/^\\"$/, '"')}'`;
}

/** Go's `%#U` of a rune: `U+0063 'c'`. */
function goUnicode(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(String.fromCodePoint(cp)) ? `${hex} '${String.fromCodePoint(cp)}'` : hex;
}

class Lexer {
  readonly input: string;
  readonly tokens: Token[] = [];
  error: LexError | undefined;
  pos = 0;
  start = 0;
  width = 0;
  parenDepth = 0;
  braceOpen = false;
  bracketOpen = false;
  gotColon = false;
  gotDuration = false;
  stringOpen = 0;

  constructor(input: string) {
    this.input = input;
  }

  next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos) as number;
    this.width = cp > 0xffff ? 2 : 1;
    this.pos += this.width;
    return cp;
  }

  peek(): number {
    const cp = this.next();
    this.backup();
    return cp;
  }

  backup(): void {
    this.pos -= this.width;
  }

  accept(valid: string): boolean {
    const cp = this.next();
    if (cp !== EOF && valid.includes(String.fromCodePoint(cp))) return true;
    this.backup();
    return false;
  }

  is(valid: string): boolean {
    const cp = this.peek();
    return cp !== EOF && valid.includes(String.fromCodePoint(cp));
  }

  emit(kind: TokenKind): void {
    this.tokens.push({ kind, start: this.start, end: this.pos, text: this.input.slice(this.start, this.pos) });
    this.start = this.pos;
  }

  // Records the error and ends lexing. Like Prometheus, the reported position is where the current
  // token starts, which is after a token that was already emitted (as in `(1))`).
  fail(reason: string, tokenStart = this.start): State {
    this.error = { reason, start: this.start, tokenStart };
    return undefined;
  }
}

function isSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d;
}

function isDigit(cp: number): boolean {
  return cp >= 0x30 && cp <= 0x39;
}

function isAlpha(cp: number): boolean {
  return cp === 0x5f || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
}

function isAlphaNumeric(cp: number): boolean {
  return isAlpha(cp) || isDigit(cp);
}

function ch(s: string): number {
  return s.charCodeAt(0);
}

function lexStatements(l: Lexer): State {
  if (l.braceOpen) return lexInsideBraces;
  if (l.input.startsWith("#", l.pos)) return lexLineComment;
  const r = l.next();
  switch (r) {
    case EOF:
      if (l.parenDepth !== 0) return l.fail("unclosed left parenthesis");
      if (l.bracketOpen) return l.fail("unclosed left bracket");
      l.emit("eof");
      return undefined;
    case ch(","):
      l.emit("punct");
      return lexStatements;
    case ch("*"):
    case ch("/"):
    case ch("%"):
    case ch("+"):
    case ch("-"):
    case ch("^"):
    case ch("@"):
      l.emit("op");
      return lexStatements;
    case ch("="): {
      const t = l.peek();
      if (t === ch("=")) {
        l.next();
        l.emit("op");
      } else if (t === ch("~")) {
        return l.fail(`unexpected character after '=': ${goQuoteRune(t)}`);
      } else {
        l.emit("punct");
      }
      return lexStatements;
    }
    case ch("!"): {
      const t = l.next();
      if (t !== ch("=")) return l.fail(`unexpected character after '!': ${goQuoteRune(t)}`);
      l.emit("op");
      return lexStatements;
    }
    case ch("<"):
    case ch(">"):
      if (l.peek() === ch("=")) l.next();
      l.emit("op");
      return lexStatements;
    case ch("("):
      l.emit("punct");
      l.parenDepth++;
      return lexStatements;
    case ch(")"): {
      const tokenStart = l.start;
      l.emit("punct");
      l.parenDepth--;
      if (l.parenDepth < 0) return l.fail(`unexpected right parenthesis ${goQuoteRune(r)}`, tokenStart);
      return lexStatements;
    }
    case ch("{"):
      l.emit("punct");
      l.braceOpen = true;
      return lexInsideBraces;
    case ch("["):
      if (l.bracketOpen) return l.fail(`unexpected left bracket ${goQuoteRune(r)}`);
      l.gotColon = false;
      l.emit("punct");
      skipSpaces(l);
      l.bracketOpen = true;
      return lexDurationExpr;
    case ch("]"):
      if (!l.bracketOpen) return l.fail(`unexpected right bracket ${goQuoteRune(r)}`);
      l.emit("punct");
      l.bracketOpen = false;
      return lexStatements;
    case ch('"'):
    case ch("'"):
      l.stringOpen = r;
      return lexString;
    case ch("`"):
      l.stringOpen = r;
      return lexRawString;
  }
  if (isSpace(r)) return lexSpace;
  if (isDigit(r) || (r === ch(".") && isDigit(l.peek()))) {
    l.backup();
    return lexNumberOrDuration;
  }
  if (isAlpha(r) || r === ch(":")) {
    if (!l.bracketOpen) {
      l.backup();
      return lexKeywordOrIdentifier;
    }
    if (r === ch(":")) {
      if (l.gotColon) return l.fail(`unexpected colon ${goQuoteRune(r)}`);
      if (l.peek() === ch(":")) l.next();
      l.emit("punct");
      l.gotColon = true;
      return lexStatements;
    }
    if ("sSmM".includes(String.fromCodePoint(r)) && scanDurationKeyword(l)) return lexStatements;
    return l.fail(`unexpected character: ${goQuoteRune(r)}, expected ':'`);
  }
  return l.fail(`unexpected character: ${goQuoteRune(r)}`);
}

function lexInsideBraces(l: Lexer): State {
  if (l.input.startsWith("#", l.pos)) return lexLineComment;
  const r = l.next();
  if (r === EOF) return l.fail("unexpected end of input inside braces");
  if (isSpace(r)) return lexSpace;
  if (isAlpha(r)) {
    l.backup();
    return lexIdentifier;
  }
  switch (r) {
    case ch(","):
      l.emit("punct");
      return lexInsideBraces;
    case ch('"'):
    case ch("'"):
      l.stringOpen = r;
      return lexString;
    case ch("`"):
      l.stringOpen = r;
      return lexRawString;
    case ch("="):
      if (l.next() === ch("~")) {
        l.emit("op");
      } else {
        l.backup();
        l.emit("punct");
      }
      return lexInsideBraces;
    case ch("!"): {
      const nr = l.next();
      if (nr !== ch("~") && nr !== ch("=")) return l.fail(`unexpected character after '!' inside braces: ${goQuoteRune(nr)}`);
      l.emit("op");
      return lexInsideBraces;
    }
    case ch("{"):
      return l.fail(`unexpected left brace ${goQuoteRune(r)}`);
    case ch("}"):
      l.emit("punct");
      l.braceOpen = false;
      return lexStatements;
  }
  return l.fail(`unexpected character inside braces: ${goQuoteRune(r)}`);
}

function lexDurationExpr(l: Lexer): State {
  const r = l.next();
  switch (r) {
    case EOF:
      return l.fail("unexpected end of input in duration expression");
    case ch("]"):
      l.emit("punct");
      l.bracketOpen = false;
      l.gotColon = false;
      return lexStatements;
    case ch(":"):
      l.emit("punct");
      if (!l.gotDuration) return l.fail("unexpected colon before duration in duration expression");
      if (l.gotColon) return l.fail("unexpected repeated colon in duration expression");
      l.gotColon = true;
      return lexDurationExpr;
    case ch("("):
      l.emit("punct");
      l.parenDepth++;
      return lexDurationExpr;
    case ch(")"): {
      const tokenStart = l.start;
      l.emit("punct");
      l.parenDepth--;
      if (l.parenDepth < 0) return l.fail(`unexpected right parenthesis ${goQuoteRune(r)}`, tokenStart);
      return lexDurationExpr;
    }
    case ch(","):
      l.emit("punct");
      return lexDurationExpr;
    case ch("+"):
    case ch("-"):
    case ch("*"):
    case ch("/"):
    case ch("%"):
    case ch("^"):
      l.emit("op");
      return lexDurationExpr;
  }
  if (isSpace(r)) {
    skipSpaces(l);
    return lexDurationExpr;
  }
  if (r !== EOF && "sSmMrR".includes(String.fromCodePoint(r))) {
    if (scanDurationKeyword(l)) return lexDurationExpr;
    return l.fail(`unexpected character in duration expression: ${goQuoteRune(r)}`);
  }
  if (isDigit(r) || (r === ch(".") && isDigit(l.peek()))) {
    l.backup();
    l.gotDuration = true;
    return lexNumberOrDuration;
  }
  return l.fail(`unexpected character in duration expression: ${goQuoteRune(r)}`);
}

function scanDurationKeyword(l: Lexer): boolean {
  while (isAlpha(l.next()));
  l.backup();
  const kind = DURATION_KEYWORDS.get(l.input.slice(l.start, l.pos).toLowerCase());
  if (kind === undefined) return false;
  l.emit(kind);
  return true;
}

function skipSpaces(l: Lexer): void {
  while (isSpace(l.peek())) l.next();
  l.start = l.pos;
}

function lexSpace(l: Lexer): State {
  skipSpaces(l);
  return lexStatements;
}

function lexLineComment(l: Lexer): State {
  l.pos++;
  for (let r = l.next(); r !== EOF && r !== 0x0a && r !== 0x0d; r = l.next());
  l.backup();
  l.start = l.pos;
  return lexStatements;
}

function lexIdentifier(l: Lexer): State {
  while (isAlphaNumeric(l.next()));
  l.backup();
  l.emit("identifier");
  return lexStatements;
}

function lexKeywordOrIdentifier(l: Lexer): State {
  for (let r = l.next(); isAlphaNumeric(r) || r === ch(":"); r = l.next());
  l.backup();
  const word = l.input.slice(l.start, l.pos);
  const lower = word.toLowerCase();
  const kind = KEYWORDS.get(lower);
  if (kind !== undefined && !(FILL_KEYWORDS.has(lower) && !followedByLeftParen(l))) l.emit(kind);
  else l.emit(word.includes(":") ? "metric identifier" : "identifier");
  return lexStatements;
}

function followedByLeftParen(l: Lexer): boolean {
  let i = l.pos;
  while (i < l.input.length && isSpace(l.input.charCodeAt(i))) i++;
  return l.input.charCodeAt(i) === ch("(");
}

// Go's RuneError: what an invalid UTF-8 byte decodes to, and also U+FFFD itself.
function isRuneError(cp: number): boolean {
  return cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff);
}

function lexString(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === ch("\\")) return lexEscape;
    if (isRuneError(r)) return l.fail("invalid UTF-8 rune");
    if (r === EOF || r === 0x0a) return l.fail("unterminated quoted string");
    if (r === l.stringOpen) break;
  }
  l.emit("string");
  return lexStatements;
}

function lexRawString(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (isRuneError(r)) return l.fail("invalid UTF-8 rune");
    if (r === EOF) return l.fail("unterminated raw string");
    if (r === l.stringOpen) break;
  }
  l.emit("string");
  return lexStatements;
}

function lexEscape(l: Lexer): State {
  let c = l.next();
  let digits: number;
  let base: number;
  let max: number;
  if (c !== EOF && (`abfnrtv\\`.includes(String.fromCodePoint(c)) || c === l.stringOpen)) return lexString;
  if (c >= ch("0") && c <= ch("7")) {
    [digits, base, max] = [3, 8, 255];
  } else if (c === ch("x")) {
    c = l.next();
    [digits, base, max] = [2, 16, 255];
  } else if (c === ch("u")) {
    c = l.next();
    [digits, base, max] = [4, 16, 0x10ffff];
  } else if (c === ch("U")) {
    c = l.next();
    [digits, base, max] = [8, 16, 0x10ffff];
  } else if (c === EOF) {
    return l.fail("escape sequence not terminated");
  } else {
    return l.fail(`unknown escape sequence ${goUnicode(c)}`);
  }
  let x = 0;
  while (digits > 0) {
    const d = digitValue(c);
    if (d >= base) {
      if (c === EOF) return l.fail("escape sequence not terminated");
      return l.fail(`illegal character ${goUnicode(c)} in escape sequence`);
    }
    x = x * base + d;
    digits--;
    if (digits > 0) c = l.next();
  }
  if (x > max || (x >= 0xd800 && x < 0xe000)) return l.fail("escape sequence is an invalid Unicode code point");
  return lexString;
}

function digitValue(c: number): number {
  if (c >= ch("0") && c <= ch("9")) return c - ch("0");
  if (c >= ch("a") && c <= ch("f")) return c - ch("a") + 10;
  if (c >= ch("A") && c <= ch("F")) return c - ch("A") + 10;
  return 16;
}

function lexNumberOrDuration(l: Lexer): State {
  if (scanNumber(l)) {
    l.emit("number");
    return lexStatements;
  }
  if (acceptRemainingDuration(l)) {
    l.backup();
    l.emit("duration");
    return lexStatements;
  }
  return l.fail(`bad number or duration syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
}

function acceptRemainingDuration(l: Lexer): boolean {
  if (!l.accept("smhdwy")) return false;
  l.accept("s");
  while (l.accept("0123456789")) {
    while (l.accept("0123456789"));
    if (!l.accept("smhdw")) return false;
    l.accept("s");
  }
  return !isAlphaNumeric(l.next());
}

// Scans what Prometheus reads as a number; whether the text is a valid number is decided later.
function scanNumber(l: Lexer): boolean {
  const initial = l.pos;
  let digits = "0123456789";
  let hex = false;
  if (l.accept("0") && l.accept("xX")) {
    l.accept("_");
    digits = "0123456789abcdefABCDEF";
    hex = true;
  }
  l.accept(".");
  l.accept(digits);
  let dot = false;
  let exponent = false;
  while (l.is(`${digits}._eE`)) {
    if (l.is(".") && dot) {
      l.accept(".");
      return false;
    }
    if (l.is("eE") && exponent) {
      l.accept("eE");
      return false;
    }
    if (l.accept(".")) {
      dot = true;
      if (l.accept("_.") || hex) return false;
      continue;
    }
    if (l.accept("eE")) {
      exponent = true;
      l.accept("+-");
      if (l.accept("._eE") || l.peek() === EOF) return false;
      continue;
    }
    if (l.accept("_")) {
      if (l.accept("._eE") || l.peek() === EOF) return false;
      continue;
    }
    while (l.accept(digits));
  }
  if (l.pos === initial) return false;
  return !isAlphaNumeric(l.peek());
}
