/**
 * Reverses Prometheus 3's "value encoding" escaping of names (`U__` prefix, `_2e_` for `.`,
 * `__` for `_`), which clients use to put any UTF-8 label name in a URL path segment; an input
 * that is not a valid escape comes back unchanged, as in Prometheus's model.UnescapeName.
 */
export function unescapeName(name: string): string {
  if (!name.startsWith("U__")) return name;
  const escaped = name.slice(3);
  let out = "";
  let i = 0;
  while (i < escaped.length) {
    const c = escaped[i] as string;
    if (c !== "_") {
      out += c;
      i++;
      continue;
    }
    i++;
    if (i >= escaped.length) return name;
    if (escaped[i] === "_") {
      out += "_";
      i++;
      continue;
    }
    const close = escaped.indexOf("_", i);
    const hex = close < 0 ? "" : escaped.slice(i, close);
    if (hex.length === 0 || hex.length > 6 || !/^[0-9a-fA-F]+$/.test(hex)) return name;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return name;
    out += String.fromCodePoint(cp);
    i = close + 1;
  }
  return out;
}
