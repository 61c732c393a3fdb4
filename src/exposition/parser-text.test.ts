import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError, parse } from "./index.js";

interface Valid {
  name: string;
  input: string;
  /** Expected samples as `labels value [ts]`, in order. */
  samples: string[];
}

function render(input: string, contentType?: string): string[] {
  return parse(input, contentType).flatMap((f) =>
    f.samples.map((s) => `${s.labels.toString()} ${s.value}${s.timestampMs === undefined ? "" : ` ${s.timestampMs}`}`),
  );
}

const valid: Valid[] = [
  { name: "empty body", input: "", samples: [] },
  { name: "blank lines and comments", input: "\n  \n# a comment\n#\n#no space\n", samples: [] },
  { name: "plain sample", input: "foo 1\n", samples: ['{__name__="foo"} 1'] },
  { name: "no final newline", input: "foo 1", samples: ['{__name__="foo"} 1'] },
  { name: "timestamp", input: "foo 1 1234567\n", samples: ['{__name__="foo"} 1 1234567'] },
  { name: "timestamp leading zeros", input: "foo 1 007\n", samples: ['{__name__="foo"} 1 7'] },
  { name: "labels any order", input: 'foo{b="2",a="1"} 3\n', samples: ['{__name__="foo", a="1", b="2"} 3'] },
  { name: "empty label set", input: "foo{} 3\n", samples: ['{__name__="foo"} 3'] },
  { name: "trailing comma", input: 'foo{a="1",} 3\n', samples: ['{__name__="foo", a="1"} 3'] },
  { name: "missing comma accepted", input: 'foo{a="1" b="2"} 3\n', samples: ['{__name__="foo", a="1", b="2"} 3'] },
  { name: "blanks everywhere", input: 'foo \t{ a = "1" , } \t 3 \t 4 \t\n', samples: ['{__name__="foo", a="1"} 3 4'] },
  { name: "no blank before value", input: 'foo{a="1"}2\n', samples: ['{__name__="foo", a="1"} 2'] },
  { name: "escapes", input: 'foo{a="x\\\\y\\"z\\nw\\t"} 1\n', samples: ['{__name__="foo", a="x\\\\y\\"z\\nw\\\\t"} 1'] },
  { name: "raw newline in value", input: 'foo{a="x\ny"} 1\n', samples: ['{__name__="foo", a="x\\ny"} 1'] },
  { name: "empty value drops label", input: 'foo{a="1",a=""} 1\n', samples: ['{__name__="foo"} 1'] },
  { name: "specials", input: "a +Inf\nb -inf\nc NaN\nd Infinity\ne -0\nf 1e+06\ng .5\nh 5.\n", samples: ['{__name__="a"} Infinity', '{__name__="b"} -Infinity', '{__name__="c"} NaN', '{__name__="d"} Infinity', '{__name__="e"} 0', '{__name__="f"} 1000000', '{__name__="g"} 0.5', '{__name__="h"} 5'] },
  { name: "NUL at line start ends input", input: "foo 1\n\u0000garbage\n", samples: ['{__name__="foo"} 1'] },
  { name: "duplicate series kept", input: "foo 1\nfoo 2\n", samples: ['{__name__="foo"} 1', '{__name__="foo"} 2'] },
  { name: "unicode label value", input: 'foo{a="héllo ✓ 😀"} 1\n', samples: ['{__name__="foo", a="héllo ✓ 😀"} 1'] },
  { name: "HELP with extra blanks", input: "# HELP foo  two  spaces \nfoo 1\n", samples: ['{__name__="foo"} 1'] },
  { name: "HELP-like comment", input: "# HELPER foo\n# TYPE\nfoo 1\n", samples: ['{__name__="foo"} 1'] },
  { name: "huge label value", input: `foo{a="${"x".repeat(200_000)}"} 1\n`, samples: [`{__name__="foo", a="${"x".repeat(200_000)}"} 1`] },
];

for (const c of valid) {
  test(`text valid: ${c.name}`, () => {
    assert.deepEqual(render(c.input), c.samples);
  });
}

test("text metadata", () => {
  const fams = parse("# HELP foo a \\\\ b\\n c \\\"\n# TYPE foo counter\nfoo 1\nfoo_total 2\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\nother 3\n");
  assert.deepEqual(
    fams.map((f) => [f.name, f.type, f.help, f.samples.length]),
    [
      ["foo", "counter", 'a \\ b\n c \\"', 2],
      ["h", "histogram", undefined, 3],
      ["other", "untyped", undefined, 1],
    ],
  );
});

interface Invalid {
  name: string;
  input: string;
  line: number;
  column: number;
  message?: RegExp;
}

const invalid: Invalid[] = [
  { name: "missing value", input: "foo\n", line: 1, column: 4, message: /expected value after metric, got "INVALID"/ },
  { name: "bad value", input: "foo bar\n", line: 1, column: 5, message: /ParseFloat/ },
  { name: "overflowing value", input: "foo 1e400\n", line: 1, column: 5 },
  { name: "hex value", input: "foo 0x10\n", line: 1, column: 5 },
  { name: "+nan", input: "foo +nan\n", line: 1, column: 5 },
  { name: "negative timestamp", input: "foo 1 -1\n", line: 1, column: 7, message: /expected timestamp or new record/ },
  { name: "float timestamp", input: "foo 1 1.5\n", line: 1, column: 8, message: /expected next entry after timestamp/ },
  { name: "timestamp overflow", input: "foo 1 99999999999999999999\n", line: 1, column: 7, message: /out of range/ },
  { name: "extra field", input: "foo 1 2 3\n", line: 1, column: 9 },
  { name: "comment after sample", input: "foo 1 # x\n", line: 1, column: 7 },
  { name: "CRLF", input: "foo 1\r\n", line: 1, column: 5 },
  { name: "leading blank", input: "  foo 1\n", line: 1, column: 1, message: /invalid metric name/ },
  { name: "missing equal", input: 'foo{a "1"} 1\n', line: 1, column: 7, message: /expected equal, got "INVALID"/ },
  { name: "unquoted value", input: "foo{a=1} 1\n", line: 1, column: 7, message: /expected label value/ },
  { name: "leading comma", input: "foo{,} 1\n", line: 1, column: 5, message: /expected label name, got "COMMA"/ },
  { name: "double comma", input: 'foo{a="1",,} 1\n', line: 1, column: 11 },
  { name: "unterminated value", input: 'foo{a="1} 1\n', line: 1, column: 7 },
  { name: "bad label name", input: 'foo{1a="1"} 1\n', line: 1, column: 5 },
  { name: "colon in label name", input: 'foo{a:b="1"} 1\n', line: 1, column: 6 },
  { name: "duplicate label", input: 'x 1\nfoo{a="1",a="2"} 1\n', line: 2, column: 1, message: /label name "a" is not unique/ },
  { name: "__name__ label", input: 'foo{__name__="bar"} 1\n', line: 1, column: 1, message: /not unique/ },
  { name: "empty __name__", input: 'foo{__name__=""} 1\n', line: 1, column: 1, message: /missing metric name/ },
  { name: "invalid utf-8 value", input: 'foo{a="\u00ff"} 1\n'.replace("\u00ff", "\ufffd"), line: 0, column: 0 },
  { name: "bad start", input: "foo 1\n{a=\"1\"} 1\n", line: 2, column: 1, message: /"INVALID" is not a valid start token/ },
  { name: "bad type", input: "# TYPE foo gaugee\n", line: 1, column: 12, message: /invalid metric type "gaugee"/ },
  { name: "type trailing blank", input: "# TYPE foo counter \n", line: 1, column: 12 },
  { name: "type with two blanks", input: "# TYPE foo  counter\n", line: 1, column: 12 },
  { name: "OpenMetrics type", input: "# TYPE foo info\n", line: 1, column: 12 },
  { name: "HELP without name", input: "# HELP \n", line: 1, column: 8, message: /expected metric name after HELP/ },
  { name: "HELP bad name", input: "# HELP 1x y\n", line: 1, column: 8 },
  { name: "empty TYPE", input: "# TYPE foo\n", line: 1, column: 11, message: /invalid metric type ""/ },
];

for (const c of invalid) {
  if (c.line === 0) continue;
  test(`text invalid: ${c.name}`, () => {
    assert.throws(
      () => parse(c.input),
      (e: unknown) => {
        assert.ok(e instanceof ParseError, String(e));
        assert.deepEqual([e.line, e.column], [c.line, c.column], e.message);
        if (c.message) assert.match(e.message, c.message);
        assert.match(e.message, new RegExp(`^${c.line}:${c.column}: `));
        return true;
      },
    );
  });
}

test("text invalid: invalid UTF-8 in label value and help", () => {
  const enc = new TextEncoder();
  const bad = (s: string) => {
    const [a, b] = s.split("@") as [string, string];
    return new Uint8Array([...enc.encode(a), 0xff, 0xfe, ...enc.encode(b)]);
  };
  assert.throws(() => parse(bad('foo{a="@"} 1\n')), /1:7: invalid UTF-8 label value/);
  assert.throws(() => parse(bad("# HELP foo @\n")), /help text is not a valid utf8 string/);
  // Comments are not checked, as in Prometheus.
  assert.equal(parse(bad("# just @ a comment\nfoo 1\n")).length, 1);
});
