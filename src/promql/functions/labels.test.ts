// label_replace, label_join and sort_by_label: cases from Prometheus's functions.test (quoted) and
// Go's Regexp.Expand rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { PromQLEvalError } from "../errors.js";
import { goSortFunc } from "./go-sort.js";
import { compileLabelReplace, labelJoin, labelReplace, naturalLess, sortByLabelCompare } from "./labels.js";

const rec = (l: Labels): Record<string, string> => l.toRecord();

describe("label_replace (functions.test)", () => {
  // testmetric{src="source-value-10",dst="original-destination-value"}
  const series = Labels.fromRecord({ __name__: "testmetric", src: "source-value-10", dst: "original-destination-value" });
  const cases: readonly [string, [string, string, string, string], Record<string, string>][] = [
    [
      "full-string match and replace",
      ["dst", "destination-value-$1", "src", "source-value-(.*)"],
      { __name__: "testmetric", src: "source-value-10", dst: "destination-value-10" },
    ],
    [
      "no substring match",
      ["dst", "destination-value-$1", "src", "value-(.*)"],
      { __name__: "testmetric", src: "source-value-10", dst: "original-destination-value" },
    ],
    [
      "multiple groups",
      ["dst", "$1-value-$2", "src", "(.*)-value-(.*)"],
      { __name__: "testmetric", src: "source-value-10", dst: "source-value-10" },
    ],
    [
      "absent source does not match a non-empty pattern",
      ["dst", "value-$1", "nonexistent-src", "source-value-(.*)"],
      { __name__: "testmetric", src: "source-value-10", dst: "original-destination-value" },
    ],
    [
      "absent source matches (.*)",
      ["dst", "value-$1", "nonexistent-src", "(.*)"],
      { __name__: "testmetric", src: "source-value-10", dst: "value-" },
    ],
    [
      "non-matching regex",
      ["dst", "value-$1", "src", "non-matching-regex"],
      { __name__: "testmetric", src: "source-value-10", dst: "original-destination-value" },
    ],
    ["an empty result drops the label", ["dst", "", "dst", ".*"], { __name__: "testmetric", src: "source-value-10" }],
    ["the metric name can be set", ["__name__", "renamed_$1", "src", "source-value-(.*)"], { __name__: "renamed_10", src: "source-value-10", dst: "original-destination-value" }],
  ];
  for (const [name, [dst, repl, src, regex], expect] of cases) {
    it(name, () => assert.deepEqual(rec(labelReplace(series, dst, repl, src, regex)), expect));
  }

  it("returns the same labels when nothing matches", () => {
    assert.equal(labelReplace(series, "dst", "x", "src", "nope"), series);
  });

  it("fails for an invalid regex", () => {
    assert.throws(
      () => compileLabelReplace("dst", "value-$1", "src", "(.*"),
      (err: Error) => err instanceof PromQLEvalError && err.message === "invalid regular expression in label_replace(): (.*",
    );
  });

  it("fails for an invalid destination name, after the regex check", () => {
    for (const dst of ["", "\ud800"]) {
      assert.throws(
        () => compileLabelReplace(dst, "", "src", "(.*)"),
        (err: Error) => err instanceof PromQLEvalError && err.message === `invalid destination label name in label_replace(): ${dst}`,
      );
    }
    assert.throws(() => compileLabelReplace("", "", "src", "(.*"), /invalid regular expression/);
  });

  it("accepts any UTF-8 destination name", () => {
    assert.deepEqual(rec(labelReplace(Labels.fromRecord({ a: "x" }), "héllo wörld", "$1", "a", "(.)")), { a: "x", "héllo wörld": "x" });
  });

  it("lets . match newlines", () => {
    assert.deepEqual(rec(labelReplace(Labels.fromRecord({ a: "1\n2" }), "b", "$1", "a", "(.*)")), { a: "1\n2", b: "1\n2" });
  });
});

describe("label_replace template expansion (Go's Regexp.Expand)", () => {
  const labels = Labels.fromRecord({ src: "ab-12" });
  const cases: readonly [string, string, string][] = [
    ["(a)(b)-(\\d+)", "$1", "a"],
    ["(a)(b)-(\\d+)", "${1}x", "ax"],
    // $1x names a group "1x", which does not exist.
    ["(a)(b)-(\\d+)", "$1x", ""],
    ["(a)(b)-(\\d+)", "$$1", "$1"],
    ["(a)(b)-(\\d+)", "$", "$"],
    ["(a)(b)-(\\d+)", "${1", "${1"],
    ["(a)(b)-(\\d+)", "$ {1}", "$ {1}"],
    ["(a)(b)-(\\d+)", "$0", "ab-12"],
    ["(a)(b)-(\\d+)", "$3$2$1", "12ba"],
    ["(a)(b)-(\\d+)", "$10", ""],
    ["(a)(b)-(\\d+)", "$01", ""],
    ["(?P<x>a)(?P<y>b)-(?<n>\\d+)", "$x/${y}/$n", "a/b/12"],
    ["(?P<x>a)(?P<y>b)-(?<n>\\d+)", "$2$missing", "b"],
    // A group that did not take part expands to nothing.
    ["(a)(z)?b-(\\d+)", "[$2]", "[]"],
    // Duplicate names: the first group of that name that matched.
    ["(?P<n>z)?(?P<n>a)b-\\d+", "$n", "a"],
    // Groups inside classes and escapes do not count.
    ["[(]?(a)\\(?(b)-(\\d+)", "$2", "b"],
    ["\\Q(\\E?(a)(b)-(\\d+)", "$1", "a"],
    ["(?i)(A)(B)-(\\d+)", "$1$2", "ab"],
    ["(?:a)(b)-(\\d+)", "$1", "b"],
  ];
  for (const [regex, template, expect] of cases) {
    it(`${regex} with ${JSON.stringify(template)}`, () => {
      assert.equal(labelReplace(labels, "dst", template, "src", regex).get("dst"), expect);
    });
  }
});

describe("label_join (functions.test)", () => {
  // testmetric{src="a",src1="b",src2="c",dst="original-destination-value"}
  const series = Labels.fromRecord({ __name__: "testmetric", src: "a", src1: "b", src2: "c", dst: "original-destination-value" });
  it("joins in order", () => assert.equal(labelJoin(series, "dst", "-", ["src", "src1", "src2"]).get("dst"), "a-b-c"));
  it("treats absent labels as empty", () => assert.equal(labelJoin(series, "dst", "-", ["src", "src3", "src1"]).get("dst"), "a--b"));
  it("drops the destination when the result is empty", () => {
    assert.deepEqual(rec(labelJoin(series, "dst", "", ["emptysrc", "emptysrc1", "emptysrc2"])), { __name__: "testmetric", src: "a", src1: "b", src2: "c" });
    assert.deepEqual(rec(labelJoin(series, "dst", ", ", [])), { __name__: "testmetric", src: "a", src1: "b", src2: "c" });
  });
  it("creates the destination", () => {
    const s = Labels.fromRecord({ src: "foo", src1: "bar", src2: "foobar" });
    assert.equal(labelJoin(s, "dst", ", ", ["src", "src1", "src2"]).get("dst"), "foo, bar, foobar");
  });
  it("fails for invalid names, sources first", () => {
    assert.throws(
      () => labelJoin(series, "", "-", ["src", ""]),
      (err: Error) => err instanceof PromQLEvalError && err.message === "invalid source label name in label_join(): ",
    );
    assert.throws(
      () => labelJoin(series, "", "-", ["src"]),
      (err: Error) => err instanceof PromQLEvalError && err.message === "invalid destination label name in label_join(): ",
    );
  });
});

describe("naturalLess (facette/natsort)", () => {
  const ordered: readonly [string, string][] = [
    ["1", "2"],
    ["2", "10"],
    ["10", "100"],
    ["4m5", "4m600"],
    ["4m600", "4m1000"],
    ["1.2.3", "1.11.3"],
    ["1.11.3", "1.111.3"],
    ["a", "b"],
    ["A", "a"],
    ["a1", "a10"],
    ["1", "1a"],
    ["1", "a"],
    ["9223372036854775807", "9223372036854775808"],
    // Beyond int64 the digits compare as text.
    ["10000000000000000000", "9999999999999999999"],
  ];
  for (const [a, b] of ordered) {
    it(`${a} < ${b}`, () => {
      assert.equal(naturalLess(a, b), true);
      assert.equal(naturalLess(b, a), false);
    });
  }
  it("keeps the library's quirks", () => {
    // A string without chunks is never less, and neither is anything than it.
    assert.equal(naturalLess("", "a"), false);
    assert.equal(naturalLess("a", ""), false);
    // Numerically equal chunks: whichever string ends first is less, both ways round.
    assert.equal(naturalLess("01", "1"), true);
    assert.equal(naturalLess("1", "01"), true);
    assert.equal(naturalLess("x", "x"), true);
  });
});

describe("sort_by_label order (functions.test)", () => {
  const sortBy = (records: Record<string, string>[], names: string[], descending = false): Record<string, string>[] => {
    const series = records.map((r) => Labels.fromRecord(r)).sort((a, b) => a.compare(b));
    goSortFunc(series, (a, b) => sortByLabelCompare(a, b, names, descending));
    return series.map(rec);
  };
  const cpu = ["0", "1", "2", "3", "10", "11", "12", "20", "21", "100"];
  it("sorts cpu numbers naturally", () => {
    const records = cpu.map((c) => ({ __name__: "cpu_time_total", job: "cpu", cpu: c }));
    assert.deepEqual(
      sortBy(records, ["cpu"]).map((r) => r.cpu),
      cpu,
    );
  });
  it("sorts instance names naturally", () => {
    const records = [
      { job: "node_exporter", instance: "4m600", release: "1.2.3" },
      { job: "node_exporter", instance: "4m5", release: "1.11.3" },
      { job: "node_exporter", instance: "4m1000", release: "1.111.3" },
    ];
    assert.deepEqual(
      sortBy(records, ["instance"]).map((r) => r.instance),
      ["4m5", "4m600", "4m1000"],
    );
    assert.deepEqual(
      sortBy(records, ["release"]).map((r) => r.release),
      ["1.2.3", "1.11.3", "1.111.3"],
    );
  });
  const http = [
    { job: "api-server", instance: "0", group: "production" },
    { job: "api-server", instance: "1", group: "production" },
    { job: "api-server", instance: "0", group: "canary" },
    { job: "api-server", instance: "1", group: "canary" },
    { job: "api-server", instance: "2", group: "canary" },
    { job: "app-server", instance: "0", group: "production" },
    { job: "app-server", instance: "1", group: "production" },
    { job: "app-server", instance: "0", group: "canary" },
    { job: "app-server", instance: "1", group: "canary" },
    { job: "api-server", instance: "2", group: "production" },
  ];
  const key = (r: Record<string, string>): string => `${r.group}/${r.instance}/${r.job}`;
  it("ties fall back to the whole label set", () => {
    assert.deepEqual(sortBy(http, ["instance"]).map(key), [
      "canary/0/api-server",
      "canary/0/app-server",
      "production/0/api-server",
      "production/0/app-server",
      "canary/1/api-server",
      "canary/1/app-server",
      "production/1/api-server",
      "production/1/app-server",
      "canary/2/api-server",
      "production/2/api-server",
    ]);
  });
  it("sorts by several labels in order", () => {
    assert.deepEqual(sortBy(http, ["job", "instance", "group"]).map(key), [
      "canary/0/api-server",
      "production/0/api-server",
      "canary/1/api-server",
      "production/1/api-server",
      "canary/2/api-server",
      "production/2/api-server",
      "canary/0/app-server",
      "production/0/app-server",
      "canary/1/app-server",
      "production/1/app-server",
    ]);
  });
  it("sort_by_label_desc reverses labels and ties", () => {
    assert.deepEqual(sortBy(http, ["instance"], true).map(key), [
      "production/2/api-server",
      "canary/2/api-server",
      "production/1/app-server",
      "production/1/api-server",
      "canary/1/app-server",
      "canary/1/api-server",
      "production/0/app-server",
      "production/0/api-server",
      "canary/0/app-server",
      "canary/0/api-server",
    ]);
  });
});

describe("goSortFunc", () => {
  it("sorts like any sort for a total order, at every size and shape", () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const n of [0, 1, 2, 12, 13, 49, 50, 51, 200, 1000]) {
      for (const shape of ["random", "sorted", "reversed", "few values"]) {
        const data = Array.from({ length: n }, (_, i) =>
          shape === "random" ? rnd() : shape === "sorted" ? i : shape === "reversed" ? n - i : Math.floor(rnd() * 3),
        );
        const want = [...data].sort((a, b) => a - b);
        goSortFunc(data, (a, b) => a - b);
        assert.deepEqual(data, want, `${shape} ${n}`);
      }
    }
  });
});
