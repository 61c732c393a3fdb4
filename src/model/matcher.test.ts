import { test } from "node:test";
import assert from "node:assert/strict";
import { Matcher } from "./matcher.js";
import type { MatchType } from "./matcher.js";
import { RegexSyntaxError } from "./errors.js";

// Rows: [type, matcher value, label value, expected]; cases follow Prometheus's matcher_test.go.
const CASES: readonly (readonly [MatchType, string, string, boolean])[] = [
  ["=", "bar", "bar", true],
  ["=", "bar", "foo-bar", false],
  ["!=", "bar", "bar", false],
  ["!=", "bar", "foo-bar", true],
  ["=~", "bar", "bar", true],
  ["=~", "bar", "foo-bar", false],
  ["=~", ".*bar", "foo-bar", true],
  ["!~", "bar", "bar", false],
  ["!~", "bar", "foo-bar", true],
  ["!~", ".*bar", "foo-bar", false],
  ["=~", "$*bar", "foo-bar", false],
  ["=~", "$*bar", "bar", true],
  ["=~", "", "", true],
  ["=~", "", "x", false],
  ["!~", "", "", false],
  ["=", "", "", true],
  ["=~", ".*", "", true],
  ["=~", ".*", "a\nb", true],
  ["=~", ".+", "", false],
  ["=~", ".+", "\n", true],
  ["=~", "a|b|c", "b", true],
  ["=~", "a|b|c", "a|b", false],
  ["=~", "a|b|c", "", false],
  ["=~", "a||c", "", true],
  ["!~", "a|b|c", "d", true],
  ["=~", "foo.bar", "foo\nbar", true],
  ["=~", "(?-s)foo.bar", "foo\nbar", false],
  ["=~", "(?i)foo", "FOO", true],
  ["=~", "(?i)fo(?-i)o", "FOo", true],
  ["=~", "(?i)fo(?-i)o", "FoO", false],
  ["=~", "(?i)fo(?-i)o", "fOo", true],
  ["=~", "日本.*", "日本語", true],
  ["=~", "\\p{Han}+", "日本語", true],
  ["=~", "\\p{Han}+", "にほん", false],
  ["=~", "[[:alpha:]]+\\.\\d+", "abc.123", true],
  ["=~", "a+", "baaa", false],
  ["=~", "b|ab", "ab", true],
  ["=~", "(?m)^a$", "a\nb", false],
  ["=~", "\\Qa.b\\E", "a.b", true],
  ["=~", "\\Qa.b\\E", "axb", false],
  ["=~", "api-.+", "api-1", true],
  ["=~", "😀{2}", "😀😀", true],
];

test("matches label values as Prometheus", () => {
  for (const [type, value, input, want] of CASES) {
    const m = new Matcher(type, "name", value);
    assert.equal(m.matches(input), want, `${m.toString()} on ${JSON.stringify(input)}`);
  }
});

test("toString prints PromQL notation, quoting non-legacy names", () => {
  assert.equal(new Matcher("=", "job", "api").toString(), 'job="api"');
  assert.equal(new Matcher("!=", "job", 'a"b').toString(), 'job!="a\\"b"');
  assert.equal(new Matcher("=~", "job", "a.*\\d").toString(), 'job=~"a.*\\\\d"');
  assert.equal(new Matcher("!~", "service.name", "x").toString(), '"service.name"!~"x"');
  assert.equal(new Matcher("=", "job:rate", "x").toString(), '"job:rate"="x"');
  assert.equal(new Matcher("=", "日本", "語").toString(), '"日本"="語"');
});

test("invalid regexes fail when the matcher is built", () => {
  for (const bad of ["a(?=b)", "(", "\\1", "a**", "x{1001}"]) {
    assert.throws(() => new Matcher("=~", "a", bad), RegexSyntaxError, bad);
    assert.throws(() => new Matcher("!~", "a", bad), RegexSyntaxError, bad);
  }
  assert.doesNotThrow(() => new Matcher("=", "a", "("));
});

test("literal alternations are exposed as set matches", () => {
  assert.deepEqual(new Matcher("=~", "a", "x|y|z").setMatches(), ["x", "y", "z"]);
  assert.deepEqual(new Matcher("=~", "a", "plain").setMatches(), ["plain"]);
  assert.equal(new Matcher("=~", "a", "x|y.*").setMatches(), undefined);
  assert.equal(new Matcher("=", "a", "x|y").setMatches(), undefined);
});
