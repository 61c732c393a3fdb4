import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError, parse } from "./index.js";

const OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";

function render(input: string): string[] {
  return parse(input, OM).flatMap((f) =>
    f.samples.map((s) => {
      let out = `${s.labels.toString()} ${s.value}${s.timestampMs === undefined ? "" : ` @${s.timestampMs}`}`;
      if (s.exemplar) {
        out += ` # ${s.exemplar.labels.toString()} ${s.exemplar.value}`;
        if (s.exemplar.timestampMs !== undefined) out += ` @${s.exemplar.timestampMs}`;
      }
      return out;
    }),
  );
}

const valid: { name: string; input: string; samples: string[] }[] = [
  { name: "only EOF", input: "# EOF\n", samples: [] },
  { name: "EOF without newline", input: "foo 1\n# EOF", samples: ['{__name__="foo"} 1'] },
  { name: "float seconds timestamp", input: "foo 1 1.5\n# EOF\n", samples: ['{__name__="foo"} 1 @1500'] },
  { name: "truncating timestamp like Go", input: "foo 1 1.001\n# EOF\n", samples: ['{__name__="foo"} 1 @1000'] },
  { name: "negative timestamp", input: "foo 1 -1.5\n# EOF\n", samples: ['{__name__="foo"} 1 @-1500'] },
  { name: "exponent timestamp", input: "foo 1 1e3\n# EOF\n", samples: ['{__name__="foo"} 1 @1000000'] },
  { name: "exemplar on _total", input: '# TYPE foo counter\nfoo_total 1 # {trace_id="abc"} 2 3.5\n# EOF\n', samples: ['{__name__="foo_total"} 1 # {trace_id="abc"} 2 @3500'] },
  { name: "exemplar after timestamp", input: 'foo_bucket{le="1"} 1 5 # {} 2\n# EOF\n', samples: ['{__name__="foo_bucket", le="1"} 1 @5000 # {} 2'] },
  { name: "exemplar escapes", input: 'a_total 1 # {x="q\\"\\\\"} 2\n# EOF\n', samples: ['{__name__="a_total"} 1 # {x="q\\"\\\\"} 2'] },
  { name: "labels", input: 'foo{b="2",a="x\\ny"} 1\n# EOF\n', samples: ['{__name__="foo", a="x\\ny", b="2"} 1'] },
  { name: "empty braces", input: "foo{} 1\n# EOF\n", samples: ['{__name__="foo"} 1'] },
  { name: "info and stateset unchecked", input: '# TYPE i info\ni_info{v="1"} 7\n# TYPE s stateset\ns{s="a"} 2\n# EOF\n', samples: ['{__name__="i_info", v="1"} 7', '{__name__="s", s="a"} 2'] },
  { name: "NaN and Inf", input: "a NaN\nb +Inf\nc -Inf\n# EOF\n", samples: ['{__name__="a"} NaN', '{__name__="b"} Infinity', '{__name__="c"} -Infinity'] },
];

for (const c of valid) {
  test(`openmetrics valid: ${c.name}`, () => {
    assert.deepEqual(render(c.input), c.samples);
  });
}

test("openmetrics metadata and families", () => {
  const fams = parse(
    '# HELP foo_seconds Time \\"spent\\".\n# TYPE foo_seconds counter\n# UNIT foo_seconds seconds\nfoo_seconds_total 1\nfoo_seconds_created 1.6e9\n# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 2\n# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\ng_gcount 1\ng_gsum 1\nx 1\n# EOF\n',
    OM,
  );
  assert.deepEqual(
    fams.map((f) => [f.name, f.type, f.help, f.unit, f.samples.length]),
    [
      ["foo_seconds", "counter", 'Time "spent".', "seconds", 2],
      ["h", "histogram", undefined, undefined, 3],
      ["g", "gaugehistogram", undefined, undefined, 3],
      ["x", "unknown", undefined, undefined, 1],
    ],
  );
});

const invalid: { name: string; input: string; line: number; column: number; message?: RegExp }[] = [
  { name: "missing EOF", input: "foo 1\n", line: 2, column: 1, message: /data does not end with # EOF/ },
  { name: "empty body", input: "", line: 1, column: 1, message: /does not end with # EOF/ },
  { name: "data after EOF", input: "# EOF\nfoo 1\n", line: 2, column: 1, message: /unexpected data after # EOF/ },
  { name: "blank line", input: "foo 1\n\n# EOF\n", line: 2, column: 1, message: /not a valid start token/ },
  { name: "comment", input: "# hello\n# EOF\n", line: 1, column: 1 },
  { name: "trailing comma", input: 'foo{a="1",} 1\n# EOF\n', line: 1, column: 11, message: /expected label name, got "BCLOSE"/ },
  { name: "missing comma", input: 'foo{a="1"b="2"} 1\n# EOF\n', line: 1, column: 10, message: /expected comma/ },
  { name: "two spaces", input: "foo  1\n# EOF\n", line: 1, column: 4, message: /expected value after metric/ },
  { name: "tab separator", input: "foo\t1\n# EOF\n", line: 1, column: 4 },
  { name: "raw newline in label value", input: 'foo{a="x\ny"} 1\n# EOF\n', line: 1, column: 7 },
  { name: "exemplar on gauge", input: '# TYPE foo gauge\nfoo 1 # {a="b"} 1\n# EOF\n', line: 2, column: 6, message: /does not support exemplars/ },
  { name: "NaN timestamp", input: "foo 1 NaN\n# EOF\n", line: 1, column: 7, message: /invalid timestamp/ },
  { name: "bad unit", input: "# UNIT foo seconds\n# EOF\n", line: 1, column: 12, message: /unit not a suffix of metric "foo"/ },
  { name: "untyped type", input: "# TYPE foo untyped\n# EOF\n", line: 1, column: 12, message: /invalid metric type "untyped"/ },
  { name: "HELP without text", input: "# HELP foo\n# EOF\n", line: 1, column: 11, message: /expected text in HELP/ },
  { name: "CRLF", input: "foo 1\r\n# EOF\r\n", line: 1, column: 5 },
  { name: "exemplar missing value", input: 'a_total 1 # {a="b"}\n# EOF\n', line: 1, column: 20, message: /expected value after exemplar labels/ },
  { name: "exemplar then garbage", input: 'a_total 1 # {a="b"} 1 2 3\n# EOF\n', line: 1, column: 24 },
  { name: "hash without brace", input: "a_total 1 # x\n# EOF\n", line: 1, column: 10 },
];

for (const c of invalid) {
  test(`openmetrics invalid: ${c.name}`, () => {
    assert.throws(
      () => parse(c.input, OM),
      (e: unknown) => {
        assert.ok(e instanceof ParseError, String(e));
        assert.deepEqual([e.line, e.column], [c.line, c.column], e.message);
        if (c.message) assert.match(e.message, c.message);
        return true;
      },
    );
  });
}
