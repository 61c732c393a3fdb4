import { AclRulesError } from "./errors.js";

// Consul parses policy rules with HCL version 1 (hashicorp/hcl v1). No JavaScript package parses
// that well: `hcl2-parser` is a GopherJS build of HCL *2* (a different grammar) last published in
// 2020, and `@cdktf/hcl2json` is an asynchronous Go-WASM build of HCL 2 from the now-deprecated
// CDKTF. Policies use a tiny part of the language, so a ~200-line parser that knows it exactly
// (and names line and column in its errors) is cheaper than either.
//
// Subset: `key "label"... { items }`, `key = value`, values are strings, numbers, booleans,
// objects and lists; comments `#`, `//`, `/* */`. Heredocs and interpolation are not supported.
// The same parser reads the JSON form (`:` for `=`), because V8's JSON errors do not always say
// where the problem is and a rule error should always point at a line and column.

/** A position in the rule text, both 1-based. */
export interface Pos {
  readonly line: number;
  readonly column: number;
}

/** A parsed value; JSON rules are converted to the same shape, without positions. */
export type RuleNode =
  | { readonly kind: "object"; readonly entries: readonly RuleEntry[]; readonly pos?: Pos }
  | { readonly kind: "list"; readonly items: readonly RuleNode[]; readonly pos?: Pos }
  | { readonly kind: "string"; readonly value: string; readonly pos?: Pos }
  | { readonly kind: "scalar"; readonly value: number | boolean | null; readonly pos?: Pos };

/** One `key = value` (or `key "label" { }`, which nests as `key = { "label" = { } }`). */
export interface RuleEntry {
  readonly key: string;
  readonly pos?: Pos;
  readonly value: RuleNode;
}

type TokenKind = "ident" | "string" | "number" | "=" | ":" | "{" | "}" | "[" | "]" | "," | "eof";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: Pos;
}

/**
 * Parses HCL rule text (or, with `json`, a JSON object) into a RuleNode object; throws
 * AclRulesError naming line and column.
 */
export function parseHcl(text: string, json = false): RuleNode {
  const tokens = lex(text);
  let i = 0;
  const peek = (): Token => tokens[i] as Token;
  const next = (): Token => tokens[i++] as Token;
  const fail = (tok: Token, reason: string): never => {
    throw new AclRulesError(reason, tok.pos.line, tok.pos.column);
  };
  const describe = (tok: Token): string => (tok.kind === "eof" ? "end of input" : JSON.stringify(tok.text));

  // Items until `end` ("}" inside an object, "eof" at top level).
  const items = (end: "}" | "eof"): RuleEntry[] => {
    const out: RuleEntry[] = [];
    for (;;) {
      const tok = peek();
      if (tok.kind === end) return out;
      if (tok.kind === "eof") fail(tok, `expected "}" before end of input`);
      if (tok.kind === "," && end === "}") {
        next();
        continue;
      }
      out.push(item());
    }
  };

  const item = (): RuleEntry => {
    const keyTok = next();
    if (json) {
      if (keyTok.kind !== "string") fail(keyTok, `expected a quoted key, got ${describe(keyTok)}`);
      if (next().kind !== ":") fail(tokens[i - 1] as Token, `expected ":" after key ${JSON.stringify(keyTok.text)}`);
      return { key: keyTok.text, pos: keyTok.pos, value: valueNode() };
    }
    if (keyTok.kind !== "ident" && keyTok.kind !== "string") fail(keyTok, `expected a key, got ${describe(keyTok)}`);
    const labels: Token[] = [];
    while (peek().kind === "string" || peek().kind === "ident") labels.push(next());
    let value: RuleNode;
    if (peek().kind === "=") {
      if (labels.length > 0) fail(peek(), `unexpected "=" after labels of ${JSON.stringify(keyTok.text)}`);
      next();
      value = valueNode();
    } else if (peek().kind === "{") {
      value = objectNode();
    } else {
      return fail(peek(), `expected "=" or "{" after ${JSON.stringify(keyTok.text)}, got ${describe(peek())}`);
    }
    // `a "b" "c" { }` is sugar for `a = { "b" = { "c" = { } } }`.
    for (let l = labels.length - 1; l >= 0; l--) {
      const label = labels[l] as Token;
      value = { kind: "object", entries: [{ key: label.text, pos: label.pos, value }], pos: label.pos };
    }
    return { key: keyTok.text, pos: keyTok.pos, value };
  };

  const objectNode = (): RuleNode => {
    const open = next();
    const entries = items("}");
    next();
    return { kind: "object", entries, pos: open.pos };
  };

  const valueNode = (): RuleNode => {
    const tok = peek();
    switch (tok.kind) {
      case "string":
        next();
        return { kind: "string", value: tok.text, pos: tok.pos };
      case "number":
        next();
        return { kind: "scalar", value: Number(tok.text), pos: tok.pos };
      case "ident":
        if (tok.text === "true" || tok.text === "false") {
          next();
          return { kind: "scalar", value: tok.text === "true", pos: tok.pos };
        }
        if (json && tok.text === "null") {
          next();
          return { kind: "scalar", value: null, pos: tok.pos };
        }
        return fail(tok, `expected a value, got ${describe(tok)} (strings need double quotes)`);
      case "{":
        return objectNode();
      case "[": {
        next();
        const list: RuleNode[] = [];
        while (peek().kind !== "]") {
          list.push(valueNode());
          if (peek().kind === ",") next();
          else if (peek().kind !== "]") fail(peek(), `expected "," or "]" in list, got ${describe(peek())}`);
        }
        next();
        return { kind: "list", items: list, pos: tok.pos };
      }
      default:
        return fail(tok, `expected a value, got ${describe(tok)}`);
    }
  };

  if (json) {
    if (peek().kind !== "{") fail(peek(), `expected a JSON object, got ${describe(peek())}`);
    const root = objectNode();
    if (peek().kind !== "eof") fail(peek(), `unexpected ${describe(peek())} after the JSON object`);
    return root;
  }
  const entries = items("eof");
  return { kind: "object", entries, pos: { line: 1, column: 1 } };
}

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (at: number): Pos => ({ line, column: at - lineStart + 1 });
  const fail = (at: number, reason: string): never => {
    const p = pos(at);
    throw new AclRulesError(reason, p.line, p.column);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const start = pos(i);
      i += 2;
      while (i < text.length && !(text[i] === "*" && text[i + 1] === "/")) {
        if (text[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= text.length) throw new AclRulesError("unterminated comment", start.line, start.column);
      i += 2;
    } else if (c === '"') {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined || d === "\n") fail(start, "unterminated string");
        if (d === '"') break;
        if (d === "\\") {
          const e = text[i + 1];
          const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "/": "/", '"': '"', "\\": "\\" };
          if (e !== undefined && e in simple) {
            value += simple[e];
            i += 2;
          } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            fail(i, `invalid escape sequence "\\${e ?? ""}"`);
          }
        } else {
          value += d;
          i++;
        }
      }
      out.push({ kind: "string", text: value, pos: pos(start) });
      i++;
    } else if ("={}[],:".includes(c)) {
      out.push({ kind: c as TokenKind, text: c, pos: pos(i) });
      i++;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
      if (!m) return fail(i, `unexpected character ${JSON.stringify(c)}`);
      out.push({ kind: "number", text: m[0], pos: pos(i) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ kind: "ident", text: m[0], pos: pos(i) });
      i += m[0].length;
    } else {
      fail(i, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  out.push({ kind: "eof", text: "", pos: pos(i) });
  return out;
}
