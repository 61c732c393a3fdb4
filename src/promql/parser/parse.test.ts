import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExpr } from "./index.js";
import { agg, bin, call, matrix, num, paren, plain, positions, str, subquery, unary, vbin, vs } from "./test-support.js";
import type { Plain } from "./test-support.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const W = 7 * D;
const Y = 365 * D;

// [query, expected AST]; modelled on Prometheus's promql/parser/parse_test.go.
const CASES: readonly (readonly [string, Plain])[] = [
  // Numbers.
  ["1", num(1)],
  ["+Inf", num(Infinity)],
  ["-Inf", num(-Infinity)],
  ["inf", num(Infinity)],
  ["-iNf", num(-Infinity)],
  [".5", num(0.5)],
  ["5.", num(5)],
  ["123.4567", num(123.4567)],
  ["5e-3", num(0.005)],
  ["5e3", num(5000)],
  ["5E+3", num(5000)],
  ["0xc", num(12)],
  ["0X1F", num(31)],
  ["0755", num(493)],
  ["09", num(9)],
  ["+5.5e-3", num(0.0055)],
  ["-0755", num(-493)],
  ["1_000", num(1000)],
  ["99999999999999999999", num(1e20)],
  ["5m", num(300)],
  ["1h30m", num(5400)],
  ["-1d", num(-86400)],
  ["10ms", num(0.01)],
  // Scalar arithmetic, precedence and signs.
  ["1 + 1", bin("+", num(1), num(1))],
  ["1 - 1", bin("-", num(1), num(1))],
  ["1 * 1", bin("*", num(1), num(1))],
  ["1 % 1", bin("%", num(1), num(1))],
  ["1 / 1", bin("/", num(1), num(1))],
  ["1 atan2 1", bin("atan2", num(1), num(1))],
  ["1 == bool 1", bin("==", num(1), num(1), undefined, true)],
  ["1 != bool 1", bin("!=", num(1), num(1), undefined, true)],
  ["1 > bool 1", bin(">", num(1), num(1), undefined, true)],
  ["1 >= bool 1", bin(">=", num(1), num(1), undefined, true)],
  ["1 < bool 1", bin("<", num(1), num(1), undefined, true)],
  ["1 <= bool 1", bin("<=", num(1), num(1), undefined, true)],
  ["-1^2", unary("-", bin("^", num(1), num(2)))],
  ["-2 ^ 2", unary("-", bin("^", num(2), num(2)))],
  ["- 2 ^ 2", unary("-", bin("^", num(2), num(2)))],
  ["--2^2", unary("-", unary("-", bin("^", num(2), num(2))))],
  ["(-2)^2", bin("^", paren(num(-2)), num(2))],
  ["-1*2", bin("*", num(-1), num(2))],
  ["-1+2", bin("+", num(-1), num(2))],
  ["-1^-2", unary("-", bin("^", num(1), num(-2)))],
  ["2^3^2", bin("^", num(2), bin("^", num(3), num(2)))],
  ["1 - 2 - 3", bin("-", bin("-", num(1), num(2)), num(3))],
  ["2 * 3 ^ 2", bin("*", num(2), bin("^", num(3), num(2)))],
  ["+1 + -2 * 1", bin("+", num(1), bin("*", num(-2), num(1)))],
  ["1 + 2/(3*1)", bin("+", num(1), bin("/", num(2), paren(bin("*", num(3), num(1)))))],
  ["1 < bool 2 - 1 * 2", bin("<", num(1), bin("-", num(2), bin("*", num(1), num(2))), undefined, true)],
  ["-(1)", unary("-", paren(num(1)))],
  ["-some_metric", unary("-", vs("some_metric"))],
  ["+some_metric", unary("+", vs("some_metric"))],
  [" +some_metric", unary("+", vs("some_metric"))],
  [' +{"some_metric"}', unary("+", vs(undefined, ['__name__="some_metric"']))],
  ["-foo^2", unary("-", bin("^", vs("foo"), num(2)))],
  ["-foo * 2", bin("*", unary("-", vs("foo")), num(2))],
  ["a ^ -b ^ c", vbin("^", vs("a"), unary("-", vbin("^", vs("b"), vs("c"))))],
  ["time() + 5m", bin("+", call("time"), num(300))],
  // Vector binary operations and matching.
  ["foo * bar", vbin("*", vs("foo"), vs("bar"))],
  ["foo * sum", vbin("*", vs("foo"), vs("sum"))],
  ["a + sum", vbin("+", vs("a"), vs("sum"))],
  ["foo == 1", bin("==", vs("foo"), num(1))],
  ["foo == bool 1", bin("==", vs("foo"), num(1), undefined, true)],
  ["2.5 / bar", bin("/", num(2.5), vs("bar"))],
  ["foo and bar", vbin("and", vs("foo"), vs("bar"))],
  ["foo or bar", vbin("or", vs("foo"), vs("bar"))],
  ["foo unless bar", vbin("unless", vs("foo"), vs("bar"))],
  ["foo + bar or bla and blub", vbin("or", vbin("+", vs("foo"), vs("bar")), vbin("and", vs("bla"), vs("blub")))],
  ["foo and bar unless baz or qux", vbin("or", vbin("unless", vbin("and", vs("foo"), vs("bar")), vs("baz")), vs("qux"))],
  ["a == b > c", vbin(">", vbin("==", vs("a"), vs("b")), vs("c"))],
  ["a + b * c", vbin("+", vs("a"), vbin("*", vs("b"), vs("c")))],
  [
    "bar + on(foo) bla / on(baz, buz) group_right(test) blub",
    vbin(
      "+",
      vs("bar"),
      vbin("/", vs("bla"), vs("blub"), { card: "one-to-many", on: true, labels: ["baz", "buz"], include: ["test"] }),
      { on: true, labels: ["foo"] },
    ),
  ],
  ["foo * on(test,blub) bar", vbin("*", vs("foo"), vs("bar"), { on: true, labels: ["test", "blub"] })],
  ["foo * on(test,blub) group_left bar", vbin("*", vs("foo"), vs("bar"), { card: "many-to-one", on: true, labels: ["test", "blub"] })],
  ["foo and on(test,blub) bar", vbin("and", vs("foo"), vs("bar"), { on: true, labels: ["test", "blub"] })],
  ["foo and on() bar", vbin("and", vs("foo"), vs("bar"), { on: true })],
  ["foo and ignoring(test,blub) bar", vbin("and", vs("foo"), vs("bar"), { labels: ["test", "blub"] })],
  ["foo and ignoring() bar", vbin("and", vs("foo"), vs("bar"))],
  ["foo unless on(bar) baz", vbin("unless", vs("foo"), vs("baz"), { on: true, labels: ["bar"] })],
  [
    "foo / on(test,blub) group_left(bar) bar",
    vbin("/", vs("foo"), vs("bar"), { card: "many-to-one", on: true, labels: ["test", "blub"], include: ["bar"] }),
  ],
  [
    "foo / ignoring(test,blub) group_left(blub) bar",
    vbin("/", vs("foo"), vs("bar"), { card: "many-to-one", labels: ["test", "blub"], include: ["blub"] }),
  ],
  [
    "foo - ignoring(test,blub) group_right(bar,foo) bar",
    vbin("-", vs("foo"), vs("bar"), { card: "one-to-many", labels: ["test", "blub"], include: ["bar", "foo"] }),
  ],
  ["foo - on(test) group_right() bar", vbin("-", vs("foo"), vs("bar"), { card: "one-to-many", on: true, labels: ["test"] })],
  ['a > bool on("b.c") b', vbin(">", vs("a"), vs("b"), { on: true, labels: ["b.c"] }, true)],
  ["foo unless on(start) bar", vbin("unless", vs("foo"), vs("bar"), { on: true, labels: ["start"] })],
  ["foo unless on(end) bar", vbin("unless", vs("foo"), vs("bar"), { on: true, labels: ["end"] })],
  ["1 + on() foo", bin("+", num(1), vs("foo"))],
  // Modifiers bind tighter than operators.
  ["a + b offset 5m", vbin("+", vs("a"), vs("b", [], { offset: 5 * M }))],
  ["a / b @ 10", vbin("/", vs("a"), vs("b", [], { timestamp: 10 * S }))],
  ["-foo offset 5m", unary("-", vs("foo", [], { offset: 5 * M }))],
  ["-foo @ 5 ^ 2", unary("-", bin("^", vs("foo", [], { timestamp: 5 * S }), num(2)))],
  ["foo offset -1^1", bin("^", vs("foo", [], { offset: -S }), num(1))],
  ["foo offset 5s-8", bin("-", vs("foo", [], { offset: 5 * S }), num(8))],
  ["a - b offset 1m @ 10", vbin("-", vs("a"), vs("b", [], { offset: M, timestamp: 10 * S }))],
  ["a - -b offset 1m", vbin("-", vs("a"), unary("-", vs("b", [], { offset: M })))],
  // Vector selectors.
  ["foo", vs("foo")],
  ["min", vs("min")],
  ["by", vs("by")],
  ["start", vs("start")],
  ["end", vs("end")],
  ["fill + fill", vbin("+", vs("fill"), vs("fill"))],
  ['start{end="foo"}', vs("start", ['end="foo"'])],
  ['end{start="foo"}', vs("end", ['start="foo"'])],
  ['anchored{job="test"}', vs("anchored", ['job="test"'])],
  ['smoothed{job="test"}', vs("smoothed", ['job="test"'])],
  ["foo offset 5m", vs("foo", [], { offset: 5 * M })],
  ["foo offset -7m", vs("foo", [], { offset: -7 * M })],
  ["foo OFFSET 1h30m", vs("foo", [], { offset: 90 * M })],
  ["foo OFFSET 1m30ms", vs("foo", [], { offset: M + 30 })],
  ["foo offset 1.5", vs("foo", [], { offset: 1500 })],
  ["foo offset 0", vs("foo")],
  ["foo @ 1603774568", vs("foo", [], { timestamp: 1603774568000 })],
  ["foo @ -100", vs("foo", [], { timestamp: -100000 })],
  ["foo @ .3", vs("foo", [], { timestamp: 300 })],
  ["foo @ 3.", vs("foo", [], { timestamp: 3000 })],
  ["foo @ 3.33", vs("foo", [], { timestamp: 3330 })],
  ["foo @ 3.3333", vs("foo", [], { timestamp: 3333 })],
  ["foo @ 3.3335", vs("foo", [], { timestamp: 3334 })],
  ["foo @ -3.3335", vs("foo", [], { timestamp: -3334 })],
  ["foo @ 3e2", vs("foo", [], { timestamp: 300000 })],
  ["foo @ 3e-1", vs("foo", [], { timestamp: 300 })],
  ["foo @ 0xA", vs("foo", [], { timestamp: 10000 })],
  ["foo @ -3.3e1", vs("foo", [], { timestamp: -33000 })],
  ["foo @ 1m", vs("foo", [], { timestamp: 60000 })],
  ["foo @ start()", vs("foo", [], { at: "start" })],
  ["foo @ END()", vs("foo", [], { at: "end" })],
  ["foo @ 10 offset 1m", vs("foo", [], { timestamp: 10000, offset: M })],
  ["foo offset 1m @ 10", vs("foo", [], { timestamp: 10000, offset: M })],
  ['foo:bar{a="bc"}', vs("foo:bar", ['a="bc"'])],
  ['{"foo"}', vs(undefined, ['__name__="foo"'])],
  [`{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}`, vs(undefined, [`__name__="foo'bar"`, '"a\\\\dos\\\\path"="boo\\\\urns"'])],
  ["{'foo\\'bar', `a\\dos\\path`=\"boo\"}", vs(undefined, [`__name__="foo'bar"`, '"a\\\\dos\\\\path"="boo"'])],
  ['{"foo", a="bc"}', vs(undefined, ['__name__="foo"', 'a="bc"'])],
  ["foo{NaN='bc'}", vs("foo", ['NaN="bc"'])],
  ["foo{bar='}'}", vs("foo", ['bar="}"'])],
  [
    'foo{a="b", foo!="bar", test=~"test", bar!~"baz"}',
    vs("foo", ['a="b"', 'foo!="bar"', 'test=~"test"', 'bar!~"baz"']),
  ],
  [
    '{a="b", foo!="bar", "foo", test=~"test", bar!~"baz"}',
    vs(undefined, ['a="b"', 'foo!="bar"', '__name__="foo"', 'test=~"test"', 'bar!~"baz"']),
  ],
  ['foo{a="b", foo!="bar",}', vs("foo", ['a="b"', 'foo!="bar"'])],
  ['{__name__=~"bar", __name__!~"baz"}', vs(undefined, ['__name__=~"bar"', '__name__!~"baz"'])],
  ['{__name__="bar", __name__="baz"}', vs(undefined, ['__name__="bar"', '__name__="baz"'])],
  ['{"bar", __name__="baz"}', vs(undefined, ['__name__="bar"', '__name__="baz"'])],
  ['{"a.b"="c", "d e"!~"f"}', vs(undefined, ['"a.b"="c"', '"d e"!~"f"'])],
  ['foo{on="x", by="y", offset="z", bool="w"}', vs("foo", ['on="x"', 'by="y"', 'offset="z"', 'bool="w"'])],
  ['foo{a="\\u00e9\\xc3\\xa9\\101"}', vs("foo", ['a="ééA"'])],
  ["foo # comment\n", vs("foo")],
  ['foo{ # comment\n a="b" }', vs("foo", ['a="b"'])],
  // Matrix selectors.
  ["test[1000ms]", matrix(vs("test"), 1000)],
  ["test[1001ms]", matrix(vs("test"), 1001)],
  ["test[5s]", matrix(vs("test"), 5 * S)],
  ["test[5m]", matrix(vs("test"), 5 * M)],
  ["foo[5m30s]", matrix(vs("foo"), 5 * M + 30 * S)],
  ["test[5h] OFFSET 5m", matrix(vs("test", [], { offset: 5 * M }), 5 * H)],
  ["test[5d] OFFSET 10s", matrix(vs("test", [], { offset: 10 * S }), 5 * D)],
  ["test[5w] offset 2w", matrix(vs("test", [], { offset: 2 * W }), 5 * W)],
  ['test{a="b"}[5y] OFFSET 3d', matrix(vs("test", ['a="b"'], { offset: 3 * D }), 5 * Y)],
  ['test{a="b"}[5m] OFFSET 3600', matrix(vs("test", ['a="b"'], { offset: H }), 5 * M)],
  ["foo[3ms] @ 2.345", matrix(vs("foo", [], { timestamp: 2345 }), 3)],
  ["foo[4s180ms] @ 2.345", matrix(vs("foo", [], { timestamp: 2345 }), 4180)],
  ["foo[4.18] @ 2.345", matrix(vs("foo", [], { timestamp: 2345 }), 4180)],
  ["foo[4s18ms] @ 2.345", matrix(vs("foo", [], { timestamp: 2345 }), 4018)],
  ["foo[4.018] @ 2.345", matrix(vs("foo", [], { timestamp: 2345 }), 4018)],
  ['test{a="b"}[5y] @ 1603774699', matrix(vs("test", ['a="b"'], { timestamp: 1603774699000 }), 5 * Y)],
  ["test[5]", matrix(vs("test"), 5 * S)],
  ["test[+5m]", matrix(vs("test"), 5 * M)],
  ["some_metric[5m] @ 1m", matrix(vs("some_metric", [], { timestamp: 60000 }), 5 * M)],
  ["test[5y] @ start()", matrix(vs("test", [], { at: "start" }), 5 * Y)],
  ["test[5y] @ end()", matrix(vs("test", [], { at: "end" }), 5 * Y)],
  ['offset{step="1s"}[5m]', matrix(vs("offset", ['step="1s"']), 5 * M)],
  ["foo + offset offset 1m", vbin("+", vs("foo"), vs("offset", [], { offset: M }))],
  ['step{offset="1s"}[5m]', matrix(vs("step", ['offset="1s"']), 5 * M)],
  // Aggregations.
  ["sum by (foo)(some_metric)", agg("sum", vs("some_metric"), { by: ["foo"] })],
  ["sum by (anchored)(some_metric)", agg("sum", vs("some_metric"), { by: ["anchored"] })],
  ['sum by ("foo bar")({"some.metric"})', agg("sum", vs(undefined, ['__name__="some.metric"']), { by: ["foo bar"] })],
  [`sum by ("foo", bar, 'baz')({"some.metric"})`, agg("sum", vs(undefined, ['__name__="some.metric"']), { by: ["foo", "bar", "baz"] })],
  ["avg by (foo)(some_metric)", agg("avg", vs("some_metric"), { by: ["foo"] })],
  ["max by (foo)(some_metric)", agg("max", vs("some_metric"), { by: ["foo"] })],
  ["sum without (foo) (some_metric)", agg("sum", vs("some_metric"), { without: ["foo"] })],
  ["sum (some_metric) without (foo)", agg("sum", vs("some_metric"), { without: ["foo"] })],
  ["stddev(some_metric)", agg("stddev", vs("some_metric"))],
  ["stdvar by (foo)(some_metric)", agg("stdvar", vs("some_metric"), { by: ["foo"] })],
  ["sum by ()(some_metric)", agg("sum", vs("some_metric"))],
  ["sum without ()(some_metric)", agg("sum", vs("some_metric"), { without: [] })],
  ["sum by (foo,bar,)(some_metric)", agg("sum", vs("some_metric"), { by: ["foo", "bar"] })],
  ["sum by (foo,)(some_metric)", agg("sum", vs("some_metric"), { by: ["foo"] })],
  ["topk(5, some_metric)", agg("topk", vs("some_metric"), { param: num(5) })],
  ["bottomk by (a) (2, x)", agg("bottomk", vs("x"), { param: num(2), by: ["a"] })],
  ["quantile(0.9, x)", agg("quantile", vs("x"), { param: num(0.9) })],
  ['count_values("value", some_metric)', agg("count_values", vs("some_metric"), { param: str("value") })],
  ["group(x)", agg("group", vs("x"))],
  ["COUNT(x) BY (y)", agg("count", vs("x"), { by: ["y"] })],
  [
    "sum without(and, by, avg, count, alert, annotations)(some_metric)",
    agg("sum", vs("some_metric"), { without: ["and", "by", "avg", "count", "alert", "annotations"] }),
  ],
  ["sum by (on, bool, offset, group_left, start, inf)(x)", agg("sum", vs("x"), { by: ["on", "bool", "offset", "group_left", "start", "inf"] })],
  ["sum(sum)", agg("sum", vs("sum"))],
  ["sum(x) > 0", bin(">", agg("sum", vs("x")), num(0))],
  // Function calls.
  ["time()", call("time")],
  ['floor(some_metric{foo!="bar"})', call("floor", vs("some_metric", ['foo!="bar"']))],
  ["rate(some_metric[5m])", call("rate", matrix(vs("some_metric"), 5 * M))],
  ["round(some_metric)", call("round", vs("some_metric"))],
  ["round(some_metric, 5)", call("round", vs("some_metric"), num(5))],
  ["hour()", call("hour")],
  ['label_join(x, "a", ",", "b", "c", "d")', call("label_join", vs("x"), str("a"), str(","), str("b"), str("c"), str("d"))],
  ["histogram_quantile(0.9, rate(x[5m]))", call("histogram_quantile", num(0.9), call("rate", matrix(vs("x"), 5 * M)))],
  ["vector(1)", call("vector", num(1))],
  ["absent_over_time(x[5m])", call("absent_over_time", matrix(vs("x"), 5 * M))],
  ["histogram_fraction(0, 0.2, x)", call("histogram_fraction", num(0), num(0.2), vs("x"))],
  ["rate(avg[5m])", call("rate", matrix(vs("avg"), 5 * M))],
  // Strings.
  ['"double-quoted string \\" with escaped quote"', str('double-quoted string " with escaped quote')],
  ["'single-quoted string \\' with escaped quote'", str("single-quoted string ' with escaped quote")],
  ["`backtick-quoted string`", str("backtick-quoted string")],
  ['"\\a\\b\\f\\n\\r\\t\\v\\\\\\" - \\u1234\\U00010111\\U0001011111☺"', str('\x07\b\f\n\r\t\v\\" - \u1234\u{10111}\u{10111}11☺')],
  ["'\\a\\b\\f\\n\\r\\t\\v\\\\\\' - \\u1234\\U00010111\\U0001011111☺'", str("\x07\b\f\n\r\t\v\\' - \u1234\u{10111}\u{10111}11☺")],
  ["`\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\' - \\xFF\\377\\u1234\\U00010111\\U0001011111☺`", str("\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\' - \\xFF\\377\\u1234\\U00010111\\U0001011111☺")],
  // An invalid UTF-8 byte stays distinguishable (a lone surrogate), so it fails name validation as in Go.
  ['"\\xFF"', str("\udcff")],
  ["`multi\nline`", str("multi\nline")],
  // Subqueries.
  ['foo{bar="baz"}[10m:6s]', subquery(vs("foo", ['bar="baz"']), 10 * M, 6 * S)],
  ['foo{bar="baz"}[10m5s:1h6ms]', subquery(vs("foo", ['bar="baz"']), 10 * M + 5 * S, H + 6)],
  ["foo[10m:]", subquery(vs("foo"), 10 * M)],
  [
    'min_over_time(rate(foo{bar="baz"}[2s])[5m:5s])',
    call("min_over_time", subquery(call("rate", matrix(vs("foo", ['bar="baz"']), 2 * S)), 5 * M, 5 * S)),
  ],
  [
    'min_over_time(rate(foo{bar="baz"}[2s])[5m:])[4m:3s]',
    subquery(call("min_over_time", subquery(call("rate", matrix(vs("foo", ['bar="baz"']), 2 * S)), 5 * M)), 4 * M, 3 * S),
  ],
  [
    'min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]',
    subquery(call("min_over_time", subquery(call("rate", matrix(vs("foo", ['bar="baz"']), 2 * S)), 5 * M, 0, { offset: 4 * M })), 4 * M, 3 * S),
  ],
  [
    'min_over_time(rate(foo{bar="baz"}[2s])[5m:] @ 1603775091)[4m:3s]',
    subquery(
      call("min_over_time", subquery(call("rate", matrix(vs("foo", ['bar="baz"']), 2 * S)), 5 * M, 0, { timestamp: 1603775091000 })),
      4 * M,
      3 * S,
    ),
  ],
  [
    'min_over_time(rate(foo{bar="baz"}[2s])[5m:] @ -160377509)[4m:3s]',
    subquery(
      call("min_over_time", subquery(call("rate", matrix(vs("foo", ['bar="baz"']), 2 * S)), 5 * M, 0, { timestamp: -160377509000 })),
      4 * M,
      3 * S,
    ),
  ],
  [
    "sum without(and, by, avg, count, alert, annotations)(some_metric) [30m:10s]",
    subquery(agg("sum", vs("some_metric"), { without: ["and", "by", "avg", "count", "alert", "annotations"] }), 30 * M, 10 * S),
  ],
  ["some_metric OFFSET 1m [10m:5s]", subquery(vs("some_metric", [], { offset: M }), 10 * M, 5 * S)],
  ["some_metric @ 123 [10m:5s]", subquery(vs("some_metric", [], { timestamp: 123000 }), 10 * M, 5 * S)],
  ["some_metric @ 123 offset 1m [10m:5s]", subquery(vs("some_metric", [], { timestamp: 123000, offset: M }), 10 * M, 5 * S)],
  ["some_metric offset 1m @ 123 [10m:5s]", subquery(vs("some_metric", [], { timestamp: 123000, offset: M }), 10 * M, 5 * S)],
  ["some_metric[10m:5s] offset 1m @ 123", subquery(vs("some_metric"), 10 * M, 5 * S, { timestamp: 123000, offset: M })],
  ['(foo + bar{nm="val"})[5m:]', subquery(paren(vbin("+", vs("foo"), vs("bar", ['nm="val"']))), 5 * M)],
  ['(foo + bar{nm="val"})[5m:] offset 10m', subquery(paren(vbin("+", vs("foo"), vs("bar", ['nm="val"']))), 5 * M, 0, { offset: 10 * M })],
  [
    '(foo + bar{nm="val"} @ 1234)[5m:] @ 1603775019',
    subquery(paren(vbin("+", vs("foo"), vs("bar", ['nm="val"'], { timestamp: 1234000 }))), 5 * M, 0, { timestamp: 1603775019000 }),
  ],
  ["foo[10m:6s] @ start()", subquery(vs("foo"), 10 * M, 6 * S, { at: "start" })],
  ["foo[10m:6s] @ end()", subquery(vs("foo"), 10 * M, 6 * S, { at: "end" })],
  ["sum_over_time(foo[5m:]) * -1", bin("*", call("sum_over_time", subquery(vs("foo"), 5 * M)), num(-1))],
  // Parentheses.
  ["(sum(foo))", paren(agg("sum", vs("foo")))],
  ["(sum(foo) by (bar))", paren(agg("sum", vs("foo"), { by: ["bar"] }))],
  ["((1))", paren(paren(num(1)))],
];

// Position ranges ([kind, start, end], parents first) as Prometheus's parse_test.go has them.
const POSITIONS: readonly (readonly [string, [string, number, number][]])[] = [
  ["-1^2", [["unary", 0, 4], ["binary", 1, 4], ["number", 1, 2], ["number", 3, 4]]],
  ["-1^-2", [["unary", 0, 5], ["binary", 1, 5], ["number", 1, 2], ["number", 3, 5]]],
  ["+1 + -2 * 1", [["binary", 0, 11], ["number", 0, 2], ["binary", 5, 11], ["number", 5, 7], ["number", 10, 11]]],
  [" +some_metric", [["unary", 1, 13], ["vector", 2, 13]]],
  [' +{"some_metric"}', [["unary", 1, 17], ["vector", 2, 17]]],
  ["foo offset 5m", [["vector", 0, 13]]],
  ["foo @ start()", [["vector", 0, 13]]],
  ["test[5h] OFFSET 5m", [["matrix", 0, 18], ["vector", 0, 4]]],
  ["foo[4s180ms] @ 2.345", [["matrix", 0, 20], ["vector", 0, 3]]],
  ["some_metric OFFSET 1m [10m:5s]", [["subquery", 0, 30], ["vector", 0, 21]]],
  ["some_metric[10m:5s] offset 1m @ 123", [["subquery", 0, 35], ["vector", 0, 11]]],
  ["sum (some_metric) without (foo)", [["aggregate", 0, 31], ["vector", 5, 16]]],
  ["topk(5, some_metric)", [["aggregate", 0, 20], ["number", 5, 6], ["vector", 8, 19]]],
  ["(sum(foo) )", [["paren", 0, 11], ["aggregate", 1, 9], ["vector", 5, 8]]],
  ["(sum by (bar) (foo))", [["paren", 0, 20], ["aggregate", 1, 19], ["vector", 15, 18]]],
  ["sum by (job)(rate(http_requests_total[30m]))", [["aggregate", 0, 44], ["call", 13, 43], ["matrix", 18, 42], ["vector", 18, 37]]],
  ["foo offset -1^1", [["binary", 0, 15], ["vector", 0, 13], ["number", 14, 15]]],
  ["a + b offset 5m", [["binary", 0, 15], ["vector", 0, 1], ["vector", 4, 15]]],
  ["-foo offset 5m", [["unary", 0, 14], ["vector", 1, 14]]],
  ["1 + 2/(3*1)", [["binary", 0, 11], ["number", 0, 1], ["binary", 4, 11], ["number", 4, 5], ["paren", 6, 11], ["binary", 7, 10], ["number", 7, 8], ["number", 9, 10]]],
  ["time()", [["call", 0, 6]]],
  ['"\\u00e9" ', [["string", 0, 8]]],
  ["5.", [["number", 0, 2]]],
  ['{a="é"} + 1', [["binary", 0, 11], ["vector", 0, 7], ["number", 10, 11]]],
];

describe("parseExpr", () => {
  for (const [query, expected] of CASES) {
    it(JSON.stringify(query), () => {
      assert.deepEqual(plain(parseExpr(query, { enableExperimentalFunctions: true })), expected);
    });
  }

  it("parses NaN", () => {
    const e = parseExpr("NaN");
    assert.ok(e.kind === "number" && Number.isNaN(e.value));
  });

  it("accepts experimental functions and aggregations when enabled", () => {
    const opts = { enableExperimentalFunctions: true };
    assert.deepEqual(plain(parseExpr("limitk(2, x)", opts)), agg("limitk", vs("x"), { param: num(2) }));
    assert.deepEqual(plain(parseExpr("limit_ratio(0.5, x)", opts)), agg("limit_ratio", vs("x"), { param: num(0.5) }));
    assert.deepEqual(plain(parseExpr("start() - end()", opts)), bin("-", call("start"), call("end")));
    assert.deepEqual(plain(parseExpr("vector(step() + range())", opts)), call("vector", bin("+", call("step"), call("range"))));
    assert.deepEqual(plain(parseExpr("max_of(1, min_of(2, 3))", opts)), call("max_of", num(1), call("min_of", num(2), num(3))));
    assert.deepEqual(plain(parseExpr('sort_by_label(x, "a", "b")', opts)), call("sort_by_label", vs("x"), str("a"), str("b")));
    assert.deepEqual(
      plain(parseExpr('histogram_quantiles(x, "q", 0.5, 0.9)', opts)),
      call("histogram_quantiles", vs("x"), str("q"), num(0.5), num(0.9)),
    );
  });

  for (const [query, expected] of POSITIONS) {
    it(`positions of ${JSON.stringify(query)}`, () => {
      assert.deepEqual(positions(parseExpr(query)), expected);
    });
  }
});
