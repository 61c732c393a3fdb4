/** Token codes shared by both lexers (numbers, so the hot path compares small integers). */
export const T_INVALID = -1;
/** End of input. */
export const T_EOF = 0;
/** A `\n` ending a line. */
export const T_LINEBREAK = 1;
/** A run of spaces and tabs (text format only; the parser skips it). */
export const T_WHITESPACE = 2;
/** `HELP` after `# `. */
export const T_HELP = 3;
/** `TYPE` after `# `. */
export const T_TYPE = 4;
/** `UNIT` after `# ` (OpenMetrics). */
export const T_UNIT = 5;
/** `EOF` after `# ` (OpenMetrics). */
export const T_EOFWORD = 6;
/** Metadata text after a metric name. */
export const T_TEXT = 7;
/** A comment line (text) or the ` # {` exemplar opener (OpenMetrics). */
export const T_COMMENT = 8;
/** A metric name. */
export const T_MNAME = 9;
/** `{`. */
export const T_BRACEOPEN = 10;
/** `}`. */
export const T_BRACECLOSE = 11;
/** A label name. */
export const T_LNAME = 12;
/** A quoted label value. */
export const T_LVALUE = 13;
/** `,`. */
export const T_COMMA = 14;
/** `=`. */
export const T_EQUAL = 15;
/** A timestamp. */
export const T_TIMESTAMP = 16;
/** A sample value. */
export const T_VALUE = 17;

const NAMES: Readonly<Record<number, string>> = {
  [T_INVALID]: "INVALID",
  [T_EOF]: "EOF",
  [T_LINEBREAK]: "LINEBREAK",
  [T_WHITESPACE]: "WHITESPACE",
  [T_HELP]: "HELP",
  [T_TYPE]: "TYPE",
  [T_UNIT]: "UNIT",
  [T_EOFWORD]: "EOFWORD",
  [T_TEXT]: "TEXT",
  [T_COMMENT]: "COMMENT",
  [T_MNAME]: "MNAME",
  [T_BRACEOPEN]: "BOPEN",
  [T_BRACECLOSE]: "BCLOSE",
  [T_LNAME]: "LNAME",
  [T_LVALUE]: "LVALUE",
  [T_COMMA]: "COMMA",
  [T_EQUAL]: "EQUAL",
  [T_TIMESTAMP]: "TIMESTAMP",
  [T_VALUE]: "VALUE",
};

/** Prometheus's name for a token, as it appears quoted in its error messages. */
export function tokenName(t: number): string {
  return NAMES[t] ?? `<invalid: ${t}>`;
}

/** Character classes as bit flags, indexed by byte. */
export const CLASS = new Uint8Array(256);
/** `[a-zA-Z_:]`, first byte of a metric name. */
export const C_MSTART = 1;
/** `[a-zA-Z0-9_:]`, later bytes of a metric name. */
export const C_MREST = 2;
/** `[a-zA-Z_]`, first byte of a label name. */
export const C_LSTART = 4;
/** `[a-zA-Z0-9_]`, later bytes of a label name. */
export const C_LREST = 8;
for (let c = 0; c < 256; c++) {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  const digit = c >= 0x30 && c <= 0x39;
  let f = 0;
  if (alpha || c === 0x3a) f |= C_MSTART | C_MREST;
  if (digit) f |= C_MREST | C_LREST;
  if (alpha) f |= C_LSTART | C_LREST;
  CLASS[c] = f;
}
