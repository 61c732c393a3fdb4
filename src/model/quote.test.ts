import { test } from "node:test";
import assert from "node:assert/strict";
import { goQuote } from "./quote.js";

test("quotes like Go's strconv.Quote", () => {
  // Expected values printed by Go's strconv.Quote.
  const cases: readonly (readonly [string, string])[] = [
    ["", '""'],
    ["abc", '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ["\u0007\b\f\n\r\t\v", '"\\a\\b\\f\\n\\r\\t\\v"'],
    ["\u0000\u001f\u007f", '"\\x00\\x1f\\x7f"'],
    ["日本語 ✓ é", '"日本語 ✓ é"'],
    ["\u00a0\u00ad\u2028", '"\\u00a0\\u00ad\\u2028"'],
    ["😀", '"😀"'],
    ["\u{e0001}", '"\\U000e0001"'],
    ["\ud800", '"\ufffd"'],
  ];
  for (const [input, want] of cases) assert.equal(goQuote(input), want, JSON.stringify(input));
});
