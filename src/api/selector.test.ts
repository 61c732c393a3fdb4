import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSeriesSelector, SelectorParseError } from "./selector.js";

// Expected errors were captured from a real Prometheus (`/api/v1/series?match[]=…`).
describe("parseSeriesSelector", () => {
  const good: [string, string][] = [
    ["up", '__name__="up"'],
    ["  up  # comment", '__name__="up"'],
    ['{job="x"}', 'job="x"'],
    ['up{instance=~"a.*", job!="b", env!~"c|d",}', 'instance=~"a.*", job!="b", env!~"c|d", __name__="up"'],
    ["{job='self'}", 'job="self"'],
    ["{job=`a\\b`}", 'job="a\\\\b"'],
    ['{"my.metric"}', '__name__="my.metric"'],
    ['{"my.metric", "a.b"="c"}', '__name__="my.metric", "a.b"="c"'],
    ['{job="\\u00e9\\x41\\101\\n\\""}', 'job="éAA\\n\\""'],
    ['{job="\\xc3\\xa9"}', 'job="é"'],
    ["sum", '__name__="sum"'],
    [":up:", '__name__=":up:"'],
    ['up{__name__="x"}', '__name__="x", __name__="up"'],
    ["{}", ""],
  ];
  for (const [input, want] of good) {
    it(`parses ${input}`, () => {
      assert.equal(parseSeriesSelector(input).map(String).join(", "), want);
    });
  }

  const bad: [string, string][] = [
    ["", "1:1: parse error: unexpected end of input"],
    ["# hi", "1:5: parse error: unexpected end of input"],
    ["up{", "1:4: parse error: unexpected end of input inside braces"],
    ['{job="x"', "1:9: parse error: unexpected end of input inside braces"],
    ["{job}", '1:5: parse error: unexpected "}" in label matching, expected label matching operator'],
    ["{job=}", '1:6: parse error: unexpected "}" in label matching, expected string'],
    ['{job=="x"}', '1:6: parse error: unexpected "=" in label matching, expected string'],
    ['{job="x" instance="y"}', '1:10: parse error: unexpected identifier "instance" in label matching, expected "," or "}"'],
    ['up{job="x"} foo', '1:13: parse error: unexpected identifier "foo"'],
    ["up offset 5m", "1:4: parse error: unexpected <offset>"],
    ['{a:b="x"}', "1:3: parse error: unexpected character inside braces: ':'"],
    ['{job="\\q"}', "1:6: parse error: unknown escape sequence U+0071 'q'"],
    ['{job="x\\', "1:6: parse error: escape sequence not terminated"],
    ['{job="x\n"}', "1:6: parse error: unterminated quoted string"],
    ["nan", '1:1: parse error: unexpected number "nan"'],
    ['{job!"x"}', "1:5: parse error: unexpected character after '!' inside braces: '\"'"],
    ['up{job="self"}{a="b"}', '1:15: parse error: unexpected "{"'],
    ["rate(up[5m])", '1:5: parse error: unexpected "("'],
    ["up[5m]", '1:3: parse error: unexpected "["'],
    ["é", "1:1: parse error: unexpected character: 'é'"],
    ['{é="x"}', "1:2: parse error: unexpected character inside braces: 'é'"],
    ['{a="é"} x', '1:10: parse error: unexpected identifier "x"'],
    ['{\n  a="x"\n  b="y"}', '3:3: parse error: unexpected identifier "b" in label matching, expected "," or "}"'],
  ];
  for (const [input, want] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseSeriesSelector(input), (e: unknown) => e instanceof SelectorParseError && e.message === want);
    });
  }

  it("reports an invalid regex at the matcher", () => {
    assert.throws(() => parseSeriesSelector('{job=~"("}'), (e: unknown) => e instanceof SelectorParseError && e.message.startsWith("1:2: parse error: "));
  });
});
