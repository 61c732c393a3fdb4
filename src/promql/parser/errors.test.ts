import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { PromQLParseError } from "../errors.js";
import { parseExpr } from "./index.js";

// [query, reason, start, end]: the first error Prometheus reports, where (start/end are UTF-16
// offsets; Prometheus's lexer errors run to the end of the query). Cases are modelled on
// Prometheus's promql/parser/parse_test.go.
const CASES: readonly (readonly [string, string, number, number])[] = [
  // Lexer errors.
  ["", "no expression found in input", 0, 0],
  ["# just a comment\n\n", "no expression found in input", 0, 0],
  [".", "unexpected character: '.'", 0, 1],
  ["2.5.", 'bad number or duration syntax: "2.5."', 0, 4],
  ["100..4", 'bad number or duration syntax: "100.."', 0, 6],
  ["0deadbeef", 'bad number or duration syntax: "0de"', 0, 9],
  ["(1))", "unexpected right parenthesis ')'", 4, 4],
  ["((1)", "unclosed left parenthesis", 4, 4],
  ["(", "unclosed left parenthesis", 1, 1],
  ["sum(", "unclosed left parenthesis", 4, 4],
  ["sum(rate(", "unclosed left parenthesis", 9, 9],
  ["1 !~ 1", "unexpected character after '!': '~'", 2, 6],
  ["1 =~ 1", "unexpected character after '=': '~'", 2, 6],
  ["{", "unexpected end of input inside braces", 1, 1],
  ["}", "unexpected character: '}'", 0, 1],
  ["some{", "unexpected end of input inside braces", 5, 5],
  ["some}", "unexpected character: '}'", 4, 5],
  ['some_metric{a:b="b"}', "unexpected character inside braces: ':'", 13, 20],
  ['foo{a*"b"}', "unexpected character inside braces: '*'", 5, 10],
  ['foo{a>="b"}', "unexpected character inside braces: '>'", 5, 11],
  ["foo{1}", "unexpected character inside braces: '1'", 4, 6],
  ["foo[5mm]", 'bad number or duration syntax: "5mm"', 4, 8],
  ["foo[5m1]", 'bad number or duration syntax: "5m1"', 4, 8],
  ["foo[5m:1m1]", 'bad number or duration syntax: "1m1"', 7, 11],
  ['foo["5m"]', "unexpected character in duration expression: '\"'", 4, 9],
  ["some_metric[5m] OFFSET 1mm", 'bad number or duration syntax: "1mm"', 23, 26],
  ['foo{bar="baz"}[', "unexpected end of input in duration expression", 15, 15],
  ["foo[5s x 5s]", "unexpected character: 'x', expected ':'", 7, 12],
  ["foo[5s s 5s]", "unexpected character: 's', expected ':'", 7, 12],
  ['sum by ("foo)(some_metric{})', "unterminated quoted string", 8, 28],
  ["`\\``", "unterminated raw string", 3, 4],
  ['"\\', "escape sequence not terminated", 0, 2],
  ['"\\c"', "unknown escape sequence U+0063 'c'", 0, 4],
  ['"\\x."', "illegal character U+002E '.' in escape sequence", 0, 5],
  ['"\\ud800"', "escape sequence is an invalid Unicode code point", 0, 8],
  ['foo{a="\ufffd"}', "invalid UTF-8 rune", 6, 10],
  // Syntax errors.
  ["1+", "unexpected end of input", 2, 2],
  ["1 /", "unexpected end of input", 3, 3],
  ["*1", "unexpected <op:*>", 0, 1],
  ["*test", "unexpected <op:*>", 0, 1],
  ["@@", "unexpected <op:@>", 0, 1],
  ["-=", 'unexpected "="', 1, 2],
  ["++-++-+-+-<", "unexpected <op:<>", 10, 11],
  ["e-+=/(0)", 'unexpected "="', 3, 4],
  ["a - on(b) ignoring(c) d", "unexpected <ignoring>", 10, 18],
  ["foo + group_left(baz) bar", "unexpected <group_left>", 6, 16],
  ["some_metric{a=b}", 'unexpected identifier "b" in label matching, expected string', 14, 15],
  ["foo{gibberish}", 'unexpected "}" in label matching, expected label matching operator', 13, 14],
  ["foo{__name__= =}", 'unexpected "=" in label matching, expected string', 14, 15],
  ["foo{,}", 'unexpected "," in label matching, expected identifier or "}"', 4, 5],
  ['foo{__name__ == "bar"}', 'unexpected "=" in label matching, expected string', 14, 15],
  ['foo{__name__="bar" lol}', 'unexpected identifier "lol" in label matching, expected "," or "}"', 19, 22],
  ['foo{"a"=}', 'unexpected "}" in label matching, expected string', 8, 9],
  ["foo[]", 'unexpected "]" in subquery or range selector, expected number, duration, step(), or range()', 4, 5],
  ["foo[step]", 'unexpected "]" in subquery or range selector, expected number, duration, step(), or range()', 8, 9],
  ["foo[5m 5m]", 'unexpected duration "5m" in subquery or range, expected ":" or "]"', 7, 9],
  ["foo[5m:1m 1m]", 'unexpected duration "1m" in subquery selector, expected "]"', 10, 12],
  ["some_metric[5m] OFFSET", "unexpected end of input in offset, expected number, duration, step(), or range()", 22, 22],
  ["some_metric[5m] @", "unexpected end of input in @, expected timestamp", 17, 17],
  ["sum without(==)(some_metric)", "unexpected <op:==> in grouping opts, expected label", 12, 14],
  ["sum without(,)(some_metric)", 'unexpected "," in grouping opts, expected label', 12, 13],
  ["sum without(foo,,)(some_metric)", 'unexpected "," in grouping opts, expected label', 16, 17],
  ["sum some_metric by (test)", 'unexpected identifier "some_metric"', 4, 15],
  ["sum (some_metric) by test", 'unexpected identifier "test" in grouping opts, expected "("', 21, 25],
  ["MIN keep_common (some_metric)", 'unexpected identifier "keep_common"', 4, 15],
  ["MIN (some_metric) keep_common", 'unexpected identifier "keep_common"', 18, 29],
  ["sum (some_metric) without (test) by (test)", "unexpected <by>", 33, 35],
  ["sum without (test) (some_metric) by (test)", "unexpected <by>", 33, 35],
  ["topk(some_metric,)", "trailing commas not allowed in function call args", 16, 17],
  ["a>b()", 'unknown function with name "b"', 2, 3],
  ["non_existent_function_far_bar()", 'unknown function with name "non_existent_function_far_bar"', 0, 29],
  ["RATE(foo[5m])", 'unknown function with name "RATE"', 0, 4],
  // Grammar actions.
  ["999" + "9".repeat(306), `error parsing number: strconv.ParseFloat: parsing "${"9".repeat(309)}": value out of range`, 0, 309],
  ["1 offset 1d", "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", 0, 1],
  ["foo offset 1s offset 2s", "offset may not be set multiple times", 0, 13],
  ["rate(some_metric[5m]) @ 1234", "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", 0, 21],
  ["foo @ 1 @ 2", "@ <timestamp> may not be set multiple times", 0, 7],
  ["foo @ +Inf", "timestamp out of bounds for @ modifier: +Inf", 0, 3],
  ["foo @ -Inf", "timestamp out of bounds for @ modifier: -Inf", 0, 3],
  ["foo @ NaN", "timestamp out of bounds for @ modifier: NaN", 0, 3],
  ["foo @ 9223372036854775808.000000", "timestamp out of bounds for @ modifier: 9223372036854775808.000000", 0, 3],
  ["foo @ -9223372036854775808.000000", "timestamp out of bounds for @ modifier: -9223372036854775808.000000", 0, 3],
  ["foo[5y1hs]", 'unknown unit "hs" in duration "5y1hs"', 4, 9],
  ["foo[5m1h]", 'not a valid duration string: "5m1h"', 4, 8],
  ["foo[5m1m]", 'not a valid duration string: "5m1m"', 4, 8],
  ["foo[0m]", "duration must be greater than 0", 4, 6],
  ["foo[-1]", "duration must be greater than 0", 4, 6],
  ["foo[5m:0s]", "duration must be greater than 0", 7, 9],
  ["foo offset 9.5e10", "duration out of range", 11, 17],
  ["foo offset -9.5e10", "duration out of range", 11, 12],
  ["foo[9.5e10]", "duration out of range", 4, 10],
  ["some_metric OFFSET 1m[5m]", "no offset modifiers allowed before range", 21, 25],
  ["some_metric @ 1234 [5m]", "no @ modifiers allowed before range", 19, 23],
  ["some_metric @ start() [5m]", "no @ modifiers allowed before range", 22, 26],
  ["some_metric @ end()[5m]", "no @ modifiers allowed before range", 19, 23],
  ["(foo + bar)[5m]", "ranges only allowed for vector selectors", 11, 15],
  ["rate(food[1m])[1h] offset 1h", "ranges only allowed for vector selectors", 14, 18],
  ["rate(food[1m])[1h] @ 100", "ranges only allowed for vector selectors", 14, 18],
  ["1[5m] smoothed", "ranges only allowed for vector selectors", 1, 5],
  ["sum () by (test)", "no arguments for aggregate expression provided", 0, 16],
  ["topk(some_metric)", "wrong number of arguments for aggregate expression provided, expected 2, got 1", 0, 17],
  ['sum by ("")(foo)', 'invalid label name for grouping: ""', 8, 10],
  ['foo{a=~"("}', 'invalid regex "(" at position 0 ("("): missing closing )', 4, 10],
  ["limitk(1, foo)", "limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions", 0, 14],
  ["mad_over_time(foo[5m])", 'function "mad_over_time" is not enabled', 0, 13],
  // Type checks.
  ["1 and 1", 'set operator "and" not allowed in binary scalar expression', 0, 7],
  ["1 == 1", "comparisons between scalars must use BOOL modifier", 2, 3],
  ["1 or 1", 'set operator "or" not allowed in binary scalar expression', 0, 6],
  ["1 unless 1", 'set operator "unless" not allowed in binary scalar expression', 0, 10],
  ["foo and 1", 'set operator "and" not allowed in binary scalar expression', 0, 9],
  ["1 unless foo", 'set operator "unless" not allowed in binary scalar expression', 0, 12],
  ['-"string"', 'unary expression only allowed on expressions of type scalar or instant vector, got "string"', 0, 9],
  ["-test[5m]", 'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"', 0, 9],
  ["1 or on(bar) foo", "vector matching only allowed between instant vectors", 0, 16],
  ["foo == on(bar) 10", "vector matching only allowed between instant vectors", 0, 17],
  ["foo and on(bar) group_left(baz) bar", 'no grouping allowed for "and" operation', 0, 35],
  ["foo or on(bar) group_right(baz) bar", 'no grouping allowed for "or" operation', 0, 35],
  ["foo unless on(bar) group_left(baz) bar", 'no grouping allowed for "unless" operation', 0, 38],
  [
    'http_requests{group="production"} + on(instance) group_left(job,instance) cpu_count{type="smp"}',
    'label "instance" must not occur in ON and GROUP clause at once',
    34,
    72,
  ],
  ["foo + bool bar", "bool modifier can only be used on comparison operators", 4, 9],
  ["foo + bool 10", "bool modifier can only be used on comparison operators", 4, 9],
  ["foo and bool 10", "bool modifier can only be used on comparison operators", 4, 11],
  ["foo[5m] + 1", "binary expression must contain only scalar and instant vector types", 0, 7],
  ["1 + foo[5m]", "binary expression must contain only scalar and instant vector types", 4, 11],
  ["{}", "vector selector must contain at least one non-empty matcher", 0, 2],
  ['{x=""}', "vector selector must contain at least one non-empty matcher", 0, 6],
  ['{x=~".*"}', "vector selector must contain at least one non-empty matcher", 0, 9],
  ['{x!~".+"}', "vector selector must contain at least one non-empty matcher", 0, 9],
  ['{x!="a"}', "vector selector must contain at least one non-empty matcher", 0, 8],
  ['foo{__name__="bar"}', 'metric name must not be set twice: "foo" or "bar"', 0, 19],
  ["topk(some_metric, other_metric)", "expected type scalar in aggregation parameter, got instant vector", 5, 16],
  ["count_values(5, other_metric)", "expected type string in aggregation parameter, got scalar", 13, 14],
  ["sum(foo[5m])", "expected type instant vector in aggregation expression, got range vector", 4, 11],
  ["floor()", 'expected 1 argument(s) in call to "floor", got 0', 0, 7],
  ["floor(some_metric, other_metric)", 'expected 1 argument(s) in call to "floor", got 2', 0, 32],
  ["floor(1)", 'expected type instant vector in call to function "floor", got scalar', 6, 7],
  ["hour(some_metric, some_metric, some_metric)", 'expected at most 1 argument(s) in call to "hour", got 3', 0, 43],
  ["time(some_metric)", 'expected 0 argument(s) in call to "time", got 1', 0, 17],
  ["rate(some_metric)", 'expected type range vector in call to function "rate", got instant vector', 5, 16],
  ["rate(avg)", 'expected type range vector in call to function "rate", got instant vector', 5, 8],
  ['label_join(foo, "a")', 'expected at least 3 argument(s) in call to "label_join", got 2', 0, 20],
  ['label_join(foo, "a", ",", "b", 1)', 'expected type string in call to function "label_join", got scalar', 31, 32],
  ["test[5d] OFFSET 10s [10m:5s]", "subquery is only allowed on instant vector, got matrix instead", 0, 28],
  ['(foo + bar{nm="val"})[5m:][10m:5s]', "subquery is only allowed on instant vector, got matrix instead", 0, 34],
  ["time()[5m:]", "subquery is only allowed on instant vector, got scalar instead", 0, 11],
  // Experimental features Meridian does not support.
  ["foo[5m+1m]", "experimental duration expression is not enabled", 4, 9],
  ["foo[step()]", "experimental duration expression is not enabled", 4, 10],
  ["foo[(5m)]", "experimental duration expression is not enabled", 4, 8],
  ["foo offset min_of(step(), 1s)", "experimental duration expression is not enabled", 11, 29],
  ["foo[5m:step()]", "experimental duration expression is not enabled", 7, 13],
  ["foo[5m] anchored", "anchored modifier is experimental and not enabled", 0, 7],
  ["rate(foo[5m] smoothed)", "smoothed modifier is experimental and not enabled", 5, 12],
  ["foo + fill(0) bar", "binop fill modifiers are experimental and not enabled", 0, 17],
  ["foo + fill_left(1) fill_right(2) bar", "binop fill modifiers are experimental and not enabled", 0, 36],
  ["info(foo)", 'function "info" is experimental and not supported', 0, 4],
];

describe("parseExpr errors", () => {
  for (const [query, reason, start, end] of CASES) {
    it(JSON.stringify(query.length > 60 ? `${query.slice(0, 57)}...` : query), () => {
      let err: unknown;
      try {
        parseExpr(query);
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof PromQLParseError, `expected a parse error, got ${String(err)}`);
      assert.equal(err.reason, reason);
      assert.deepEqual(err.positionRange, { start, end });
      assert.equal(err.code, "promql_parse");
    });
  }

  it("fails on any input with a PromQLParseError inside the query", () => {
    const pieces = fc.constantFrom(
      ...'abxyz_:0123456789.+-*/%^=!~<>(){}[],@"\'`# \n\\',
      "sum", "by", "on", "offset", "rate", "5m", "bool", "group_left", "inf", "step()", "start()", "min_of", "[5m:]",
      '{a="b"}', "ignoring", "and", "fill(", "anchored",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 25 }).map((a) => a.join("")), (q) => {
        try {
          parseExpr(q, { enableExperimentalFunctions: true });
        } catch (err) {
          assert.ok(err instanceof PromQLParseError, String(err));
          const { start, end } = err.positionRange;
          assert.ok(start >= 0 && start <= end && end <= q.length, `${err.message} ${start}-${end}`);
        }
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it("formats the message as line:col: parse error: reason", () => {
    assert.throws(() => parseExpr("foo +\n  bar +"), { message: "2:8: parse error: unexpected end of input" });
    assert.throws(() => parseExpr("sum(\n  rate(foo[5m])"), { message: "2:16: parse error: unclosed left parenthesis" });
  });

  it("accepts experimental functions and aggregations when enabled", () => {
    for (const q of ["limitk(1, foo)", "limit_ratio(0.5, foo)", "mad_over_time(foo[5m])", 'sort_by_label(foo, "a")', "step()"]) {
      assert.doesNotThrow(() => parseExpr(q, { enableExperimentalFunctions: true }), q);
    }
    assert.throws(() => parseExpr("info(foo)", { enableExperimentalFunctions: true }), /"info" is experimental and not supported/);
  });
});
