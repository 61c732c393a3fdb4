import { test } from "node:test";
import assert from "node:assert/strict";
import { compileRE2, translateRE2 } from "./re2.js";
import { RegexSyntaxError } from "./errors.js";

// Expected results were produced by Go 1.26 regexp the way Prometheus compiles matchers
// (syntax.Parse with Perl|DotNL, Simplify, then "^(?s:" + re + ")$"); each row is
// [RE2 pattern, [[input, matches], ...]].
const MATCH_CASES: readonly (readonly [string, readonly (readonly [string, boolean])[]])[] = [
  ["", [["", true], ["a", false]]],
  ["abc", [["abc", true], ["ABC", false], ["abcd", false], ["xabc", false]]],
  ["a|b|c", [["a", true], ["b", true], ["c", true], ["ab", false], ["", false]]],
  ["foo|bar", [["foo", true], ["bar", true], ["foobar", false], ["fo", false]]],
  ["a.c", [["abc", true], ["a\nc", true], ["ac", false], ["aéc", true], ["a😀c", true]]],
  [".*", [["", true], ["anything", true], ["multi\nline", true]]],
  [".+", [["", false], ["x", true], ["\n", true]]],
  ["(?-s).*", [["abc", true], ["a\nb", false], ["", true]]],
  ["(?-s:.)", [["\n", false], ["\r", true], ["x", true], ["\u2028", true]]],
  ["(?i)abc", [["abc", true], ["ABC", true], ["aBc", true], ["abd", false]]],
  ["(?i)k", [["k", true], ["K", true], ["K", true], ["x", false]]],
  ["(?i)s", [["s", true], ["S", true], ["ſ", true]]],
  ["(?i)ß", [["ß", true], ["ẞ", true], ["ss", false], ["SS", false]]],
  ["(?i)σ", [["σ", true], ["Σ", true], ["ς", true]]],
  ["a(?i)b", [["ab", true], ["aB", true], ["Ab", false], ["AB", false]]],
  ["a(?i:b)c", [["abc", true], ["aBc", true], ["aBC", false], ["ABc", false]]],
  ["(?i)a(?-i)b", [["ab", true], ["Ab", true], ["aB", false]]],
  ["(?i:A|b)c", [["ac", true], ["Bc", true], ["aC", false]]],
  ["a(?i)b|c", [["ab", true], ["aB", true], ["c", true], ["C", true], ["Ab", false]]],
  ["(a(?i)b)c", [["abc", true], ["aBc", true], ["aBC", false]]],
  ["(?i)[a-c]+", [["ABC", true], ["abc", true], ["aBd", false]]],
  ["(?i)[^k]", [["k", false], ["K", false], ["K", false], ["x", true]]],
  ["(?i)[k-m]", [["K", true], ["K", true], ["L", true], ["n", false]]],
  ["(?i)\\w+", [["Abc_1", true], ["ſ", true], ["K", true], ["é", false]]],
  ["(?i)\\W", [["ſ", false], ["K", false], ["!", true], ["a", false]]],
  ["\\W", [["ſ", true], ["!", true], ["a", false], ["é", true]]],
  ["(?i)[[:upper:]]", [["a", true], ["A", true], ["ſ", true], ["1", false]]],
  ["(?i)[[:^lower:]]", [["a", false], ["A", false], ["K", false], ["1", true]]],
  ["(?i)\\p{Lu}", [["a", true], ["A", true], ["é", true], ["1", false]]],
  ["(?i)\\p{Greek}+", [["αβγ", true], ["ΑΒΓ", true], ["µ", true], ["abc", false]]],
  ["(?i)\\PN", [["1", false], ["a", true], ["A", true]]],
  ["\\d+", [["123", true], ["١٢٣", false], ["12a", false]]],
  ["\\s", [[" ", true], ["\t", true], ["\n", true], ["\u000b", false], ["\f", true], ["\r", true], ["\u00a0", false], ["\u2003", false]]],
  ["\\S", [[" ", false], ["\u000b", true], ["\u00a0", true], ["a", true]]],
  ["\\w+", [["abc_123", true], ["é", false], ["a-b", false]]],
  ["\\D\\S\\W", [["a!!", true], ["1a!", false], ["a a", false]]],
  ["[[:alpha:]]+", [["abcXYZ", true], ["é", false], ["a1", false]]],
  ["[[:^alpha:]]", [["a", false], ["1", true], ["é", true]]],
  ["[[:alnum:]_]+", [["a_1", true], ["a-1", false]]],
  ["[[:space:]]", [["\u000b", true], [" ", true], ["\u00a0", false]]],
  ["[[:punct:]]+", [["!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", true], ["a", false]]],
  ["[[:xdigit:]]+", [["09afAF", true], ["g", false]]],
  ["[[:word:][:digit:]]", [["_", true], ["5", true], ["-", false]]],
  ["[:alpha:]", [[":", true], ["a", true], ["p", true], ["b", false]]],
  ["\\pL+", [["abc", true], ["日本語", true], ["123", false]]],
  ["\\p{L}", [["a", true], ["1", false]]],
  ["\\p{Lu}\\p{Ll}", [["Ab", true], ["aB", false]]],
  ["\\p{Greek}+", [["αβγ", true], ["abc", false], ["Ω", true]]],
  ["\\P{Greek}", [["α", false], ["a", true]]],
  ["\\p{^Greek}", [["α", false], ["a", true]]],
  ["\\P{^Greek}", [["α", true], ["a", false]]],
  ["\\pN", [["1", true], ["٣", true], ["a", false]]],
  ["\\p{Han}+", [["日本", true], ["abc", false]]],
  ["\\p{Any}", [["a", true], ["\n", true], ["😀", true]]],
  ["[\\p{Lu}\\d]+", [["AB12", true], ["ab", false]]],
  ["[^\\p{L}]", [["a", false], ["1", true], [" ", true]]],
  ["\\pZ", [[" ", true], ["\u00a0", true], ["a", false]]],
  ["\\pC", [["\u0000", true], ["a", false], ["͸", true]]],
  ["(?P<name>a+)b", [["aab", true], ["b", false]]],
  ["(?<name>a)", [["a", true]]],
  ["(?P<n>a)(?P<n>b)", [["ab", true]]],
  ["(?P<1a>x)", [["x", true]]],
  ["a*?", [["", true], ["aa", true]]],
  ["(a{2})*", [["aaaa", true], ["aaa", false]]],
  ["(?U)a+", [["aa", true]]],
  ["(?U)a+?", [["aa", true]]],
  ["(?)a", [["a", true]]],
  ["(?i-s:.)", [["\n", false], ["A", true]]],
  ["(?s-i:A.)", [["a\n", false], ["A\n", true]]],
  ["\\z", [["", true]]],
  ["a\\z", [["a", true], ["a\n", false]]],
  ["\\Aa", [["a", true]]],
  ["a$", [["a", true], ["a\n", false]]],
  ["^a", [["a", true]]],
  ["(?m)a$\\nb", [["a\nb", true], ["ab", false]]],
  ["(?m)^b", [["b", true]]],
  ["(?m:a$)\\n(?m:^b)", [["a\nb", true]]],
  ["(?m)a$\\r\\nb", [["a\r\nb", false]]],
  ["\\Qa.b*c\\E", [["a.b*c", true], ["aXbbc", false]]],
  ["\\Qa.b", [["a.b", true], ["axb", false]]],
  ["x\\Q\\E*", [["x", true], ["xx", true]]],
  ["\\Qab\\E+", [["abb", true], ["abab", false]]],
  ["\\x41\\x{42}\\x{000043}", [["ABC", true]]],
  ["\\x{10FFFF}", [["􏿿", true]]],
  ["\\101\\0\\12", [["A\u0000\n", true]]],
  ["\\1234", [["S4", true]]],
  ["\\a\\f\\t\\n\\r\\v", [["\u0007\f\t\n\r\u000b", true]]],
  ["\\-\\_\\#\\~\\ \\/\\!\\%", [["-_#~ /!%", true]]],
  ["a\\b", [["a", true]]],
  ["\\bfoo\\b", [["foo", true]]],
  ["a\\Bb", [["ab", true]]],
  ["(?i)\\bk\\b", [["K", false], ["k", true]]],
  ["[]a]", [["]", true], ["a", true], ["b", false]]],
  ["[^]a]", [["]", false], ["b", true]]],
  ["[a-]", [["a", true], ["-", true], ["b", false]]],
  ["[-a]", [["-", true], ["a", true]]],
  ["[a-b-c]", [["a", true], ["b", true], ["-", true], ["c", true]]],
  ["[\\d-z]", [["5", true], ["-", true], ["z", true], ["a", false]]],
  ["[^a]", [["\n", true], ["b", true], ["a", false]]],
  ["[^\\n]", [["\n", false], ["a", true]]],
  ["[\\x00-\\x{10FFFF}]", [["a", true], ["😀", true]]],
  ["[^\\x00-\\x{10FFFF}]", [["a", false]]],
  ["[[]", [["[", true]]],
  ["[\\[\\]]+", [["[]", true]]],
  ["[a-z&&b]", [["&", true], ["a", true]]],
  ["[.*+?]+", [[".*+?", true], ["a", false]]],
  ["a{2,3}", [["a", false], ["aa", true], ["aaa", true], ["aaaa", false]]],
  ["a{2,}", [["a", false], ["aaaaa", true]]],
  ["a{,3}", [["a{,3}", true], ["aaa", false]]],
  ["a{01}", [["a{01}", true], ["a", false]]],
  ["a{", [["a{", true]]],
  ["a{1", [["a{1", true]]],
  ["x{1000}", [["x", false]]],
  ["^*a", [["a", true]]],
  ["$+", [["", true]]],
  ["()", [["", true]]],
  ["(|a)", [["", true], ["a", true]]],
  ["a|", [["", true], ["a", true]]],
  ["a||b", [["", true], ["a", true], ["b", true]]],
  ["日本語", [["日本語", true], ["日本", false]]],
  ["😀+", [["😀😀", true], ["😀", true]]],
  ["[😀-😂]", [["😁", true], ["a", false]]],
  ["(?i)ǅ", [["Ǆ", true], ["ǅ", true], ["ǆ", true]]],
  ["(?i)ω", [["Ω", true], ["ω", true], ["Ω", true]]],
  ["a}", [["a}", true]]],
  ["a]", [["a]", true]]],
  ["/", [["/", true]]],
  ["\\.", [[".", true], ["a", false]]],
  ["foo.*", [["foo", true], ["foobar", true], ["fo", false]]],
  [".*foo.*", [["xfoox", true], ["fo", false]]],
  ["(foo|bar)baz", [["foobaz", true], ["barbaz", true], ["baz", false]]],
  ["(?:foo)+", [["foofoo", true], ["foo", true], ["", false]]],
  ["a{0}", [["", true], ["a", false]]],
  ["[\\x{0}-\\x{ff}]", [["ÿ", true], ["Ā", false]]],
  ["\\p{Latin}", [["a", true], ["α", false]]],
  ["(?i)[\\P{Greek}a]", [["µ", false], ["a", true], ["A", true], ["b", true], ["α", false]]],
  ["(?i)[^\\P{Greek}x]", [["µ", true], ["x", false], ["X", false], ["α", true], ["b", false]]],
  ["(?i)\\P{Greek}+", [["µ", false], ["ab", true], ["Ω", false]]],
  ["\\p{LC}", [["a", true], ["1", false]]],
  ["(?i)\\P{Greek}", [["a", true]]],
  ["(?i)[^\\p{Lu}]", [["a", false], ["A", false], ["1", true]]],
  ["[\\P{L}]", [["a", false], ["1", true]]],
  ["(?i)[\\P{N}]", [["1", false], ["a", true]]],
  ["x*y*z*", [["", true], ["xyz", true], ["zyx", false]]],
  ["(a|ab)(c|bcd)(d*)", [["abcd", true]]],
  ["(?i)straße", [["STRASSE", false], ["Straße", true], ["STRAẞE", true]]],
];

// Patterns Go's regexp rejects; the translator must reject them too, never run something else.
const REJECTED: readonly string[] = [
  "[[:foo:]]",
  "\\p{Foo}",
  "(?P<a-b>x)",
  "(?P=name)",
  "(a)\\1",
  "\\8",
  "a(?=b)",
  "a(?!b)",
  "(?<=a)b",
  "(?<!a)b",
  "(?>a)",
  "a*+",
  "a++",
  "a**",
  "a{2}{3}",
  "a{2}*",
  "\\C",
  "(?x)a b",
  "(?#comment)a",
  "(?-)a",
  "(?i-)a",
  "a\\Z",
  "\\x{110000}",
  "\\x{}",
  "\\xZZ",
  "\\q",
  "\\",
  "[\\b]",
  "[z-a]",
  "[a",
  "[\\Q]\\E]",
  "{2}",
  "x{1001}",
  "(x{500}){3}",
  "a{3,2}",
  "*a",
  "(*a)",
  "a|*",
  "(?i)*",
  "a)",
  "(a",
  "\\p",
  "\\p{",
  "\\pX",
];

function anchored(pattern: string): RegExp {
  return compileRE2(pattern, { dotNL: true, anchored: true });
}

test("matches exactly what Go regexp matches", () => {
  for (const [pattern, rows] of MATCH_CASES) {
    const re = anchored(pattern);
    for (const [input, want] of rows) {
      assert.equal(re.test(input), want, `${JSON.stringify(pattern)} on ${JSON.stringify(input)} (js: ${re.source})`);
    }
  }
});

test("rejects what Go regexp rejects, with a typed error", () => {
  for (const pattern of REJECTED) {
    assert.throws(() => anchored(pattern), RegexSyntaxError, JSON.stringify(pattern));
  }
});

test("errors name the position and the construct", () => {
  const cases: readonly (readonly [string, number, string])[] = [
    ["a(?=b)", 1, "(?="],
    ["ab\\1", 2, "\\1"],
    ["x*+", 1, "*+"],
    ["[z-a]", 1, "z-a"],
    ["日本(?<!x)", 2, "(?<!"],
  ];
  for (const [pattern, position, construct] of cases) {
    assert.throws(
      () => compileRE2(pattern),
      (err: unknown) =>
        err instanceof RegexSyntaxError &&
        err.code === "invalid_regex" &&
        err.position === position &&
        err.construct === construct &&
        err.message.includes(`position ${position}`),
      pattern,
    );
  }
});

test("prints RE2 constructs in their JavaScript spelling", () => {
  const cases: readonly (readonly [string, string])[] = [
    ["\\x{10FFFF}", "\\u{10ffff}"],
    ["(?P<job>a)", "(?<job>a)"],
    ["(?P<n>a)(?P<n>b)", "(?<n>a)(b)"],
    ["\\Aa\\z", "^a$"],
    ["\\s", "[\\u{9}-\\u{a}\\u{c}-\\u{d}\\u{20}]"],
    ["\\pL", "[\\p{General_Category=L}]"],
    ["\\p{Greek}", "[\\p{Script=Greek}]"],
    ["(?i)k", "[Kk\\u{212a}]"],
    ["(?U)a+b+?", "a+?b+"],
    ["a.b", "a[^\\n]b"],
    ["(?s).", "[^]"],
    ["\\#", "\\u{23}"],
  ];
  for (const [pattern, want] of cases) assert.equal(translateRE2(pattern), want, pattern);
});

test("without dotNL, dot stops only at newline, as in plain RE2", () => {
  const re = compileRE2("a.c", { anchored: true });
  assert.equal(re.test("a\nc"), false);
  assert.equal(re.test("a\rc"), true);
  assert.equal(re.test("a\u2028c"), true);
});

test("unanchored translation finds matches anywhere", () => {
  assert.equal(compileRE2("b+").test("abbc"), true);
  assert.equal(compileRE2("(?i)B").test("abc"), true);
});
