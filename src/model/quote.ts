/**
 * Quotes `s` as Go's strconv.Quote does, which is how Prometheus prints label values, matcher
 * values and quoted names; a lone UTF-16 surrogate is printed as U+FFFD, as its UTF-8 encoding
 * would read in Go.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\ufffd";
    else if (cp === 0x20 || PRINTABLE.test(ch)) out += ch;
    else if (C_ESCAPES[cp] !== undefined) out += C_ESCAPES[cp];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const C_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
