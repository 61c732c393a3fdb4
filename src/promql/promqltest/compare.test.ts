import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { staleNaN } from "../../storage/index.js";
import type { QueryValue } from "../value.js";
import { almostEqual, checkAnnotations, checkFailure, compareResult } from "./compare.js";
import { parseScript } from "./parse-script.js";
import type { EvalCommand } from "./script.js";

function ev(text: string): EvalCommand {
  const cmd = parseScript(text).commands.find((c) => c.kind === "eval");
  assert.ok(cmd?.kind === "eval");
  return cmd;
}

const L = (record: Record<string, string>): Labels => Labels.fromRecord(record);
const vector = (...samples: [Record<string, string>, number][]): QueryValue => ({
  type: "vector",
  samples: samples.map(([labels, v]) => ({ labels: L(labels), t: 0, v })),
});
const matrix = (...series: [Record<string, string>, number[], number[]][]): QueryValue => ({
  type: "matrix",
  series: series.map(([labels, ts, vs]) => ({ labels: L(labels), ts, vs })),
});

describe("almostEqual", () => {
  const tiny = 1e-320;
  const cases: [number, number, boolean][] = [
    [1, 1, true],
    [1, 1 + 1e-7, true],
    [1, 1 + 1e-5, false],
    [-1e300, -1e300 * (1 + 1e-9), true],
    [Number.MAX_VALUE, Number.MAX_VALUE * (1 - 1e-9), true],
    [0, 0, true],
    [0, 1e-300, false],
    [0, tiny, true],
    [tiny, 2 * tiny, true],
    [Infinity, Infinity, true],
    [Infinity, -Infinity, false],
    [Infinity, Number.MAX_VALUE, false],
    [NaN, NaN, true],
    [NaN, 1, false],
    [staleNaN(), staleNaN(), true],
    [staleNaN(), NaN, false],
    [NaN, staleNaN(), false],
  ];
  for (const [a, b, want] of cases) {
    it(`${a} vs ${b}: ${want}`, () => {
      assert.equal(almostEqual(a, b), want);
    });
  }
});

describe("compareResult", () => {
  const twoSeries = ev('eval instant at 0 x\n  x{a="1"} 1\n  x{a="2"} 2\n');
  const cases: [string, EvalCommand, QueryValue, RegExp | undefined][] = [
    ["a vector in any order", twoSeries, vector([{ __name__: "x", a: "2" }, 2], [{ __name__: "x", a: "1" }, 1.0000001]), undefined],
    ["a wrong value", twoSeries, vector([{ __name__: "x", a: "1" }, 1], [{ __name__: "x", a: "2" }, 3]), /expected 2 for \{__name__="x", a="2"\} but got 3/],
    ["a missing series", twoSeries, vector([{ __name__: "x", a: "1" }, 1]), /expected metric \{__name__="x", a="2"\} with \[2\] not found/],
    ["an extra series", twoSeries, vector([{ __name__: "x", a: "1" }, 1], [{ __name__: "x", a: "2" }, 2], [{ a: "3" }, 3]), /unexpected metric \{a="3"\} in result, has value 3/],
    ["a duplicate series", twoSeries, vector([{ __name__: "x", a: "1" }, 1], [{ __name__: "x", a: "1" }, 1]), /same labelset/],
    ["a vector for a scalar", ev("eval instant at 0 x\n  1\n"), vector(), /expected scalar result, but got vector/],
    ["an empty vector", ev("eval instant at 0 x\n"), vector(), undefined],
    ["an empty matrix", ev("eval range from 0 to 1m step 1m x\n"), matrix(), undefined],
    ["a scalar", ev("eval instant at 0 x\n  1\n"), { type: "scalar", t: 0, v: 1 }, undefined],
    ["a wrong scalar", ev("eval instant at 0 x\n  1\n"), { type: "scalar", t: 0, v: 2 }, /expected scalar 1 but got 2/],
    ["a scalar when none is expected", ev("eval instant at 0 x\n"), { type: "scalar", t: 0, v: 2 }, /expected vector or matrix result, but got scalar 2/],
    ["a string", ev('eval instant at 0 "a"\n  expect string "a"\n'), { type: "string", t: 0, v: "a" }, undefined],
    ["a wrong string", ev('eval instant at 0 "a"\n  expect string "a"\n'), { type: "string", t: 0, v: "b" }, /expected string "a" but got "b"/],
    ["NaN and stale", ev("eval instant at 0 x\n  {a=\"1\"} NaN\n  {a=\"2\"} stale\n"), vector([{ a: "1" }, NaN], [{ a: "2" }, staleNaN()]), undefined],
    ["NaN for stale", ev("eval instant at 0 x\n  {a=\"2\"} stale\n"), vector([{ a: "2" }, NaN]), /expected stale for \{a="2"\} but got NaN/],
  ];
  for (const [name, cmd, value, want] of cases) {
    it(`judges ${name}`, () => {
      const got = compareResult(cmd, value);
      if (want === undefined) assert.equal(got, undefined);
      else assert.match(got ?? "(passed)", want);
    });
  }

  it("checks the position of each series of an ordered vector", () => {
    const ordered = ev('eval instant at 0 sort_desc(x)\n  expect ordered\n  {a="2"} 2\n  {a="1"} 1\n');
    assert.equal(compareResult(ordered, vector([{ a: "2" }, 2], [{ a: "1" }, 1])), undefined);
    assert.match(compareResult(ordered, vector([{ a: "1" }, 1], [{ a: "2" }, 2])) ?? "", /expected metric \{a="1"\} with \[1\] at position 2 but was at 1/);
    assert.equal(compareResult(ordered, matrix()), "expected ordered result, but query returned a matrix");
  });

  it("checks every point of a matrix with its timestamp, `_` meaning no point", () => {
    const range = ev('eval range from 0 to 2m step 1m x\n  x{a="1"} 1 _ 3\n');
    assert.equal(compareResult(range, matrix([{ __name__: "x", a: "1" }, [0, 120_000], [1, 3]])), undefined);
    assert.match(compareResult(range, matrix([{ __name__: "x", a: "1" }, [0, 60_000], [1, 3]])) ?? "", /to have timestamp 120000, but it had timestamp 60000/);
    assert.match(compareResult(range, matrix([{ __name__: "x", a: "1" }, [0, 60_000, 120_000], [1, 2, 3]])) ?? "", /expected 2 float points and 0 histogram points/);
    assert.match(compareResult(range, matrix([{ __name__: "x", a: "1" }, [0, 120_000], [1, 4]])) ?? "", /at index 1 \(t=120000\) .* to be 3, but got 4/);
  });

  it("requires a matrix sorted by labels", () => {
    const range = ev('eval range from 0 to 0 step 1m x\n  {a="1"} 1\n  {a="2"} 2\n');
    assert.match(compareResult(range, matrix([{ a: "2" }, [0], [2]], [{ a: "1" }, [0], [1]])) ?? "", /matrix is not sorted/);
  });

  it("refuses more expected points than the range has", () => {
    assert.match(compareResult(ev("eval range from 0 to 1m step 1m x\n  {} 1 2 3\n"), matrix([{}, [0, 60_000], [1, 2]])) ?? "", /cannot return this many points/);
    // A range vector from an instant query needs `expect range vector`: the plain form ends at 0.
    assert.match(compareResult(ev("eval instant at 1m x[1m]\n  x 1\n"), matrix([{ __name__: "x" }, [60_000], [1]])) ?? "", /cannot return this many points/);
  });

  it("compares a range vector from an instant query at from, from+step, …", () => {
    const rv = ev("eval instant at 1m x[1m]\n  expect range vector from 30s to 1m step 30s\n  x 1 2\n");
    assert.equal(compareResult(rv, matrix([{ __name__: "x" }, [30_000, 60_000], [1, 2]])), undefined);
  });
});

describe("checkFailure", () => {
  it("accepts any error for a bare expect fail", () => {
    assert.equal(checkFailure(ev("eval instant at 0 x\n  expect fail\n"), "anything"), undefined);
  });

  it("matches msg: exactly and regex: anywhere in the message", () => {
    const msg = ev("eval instant at 0 x\n  expect fail msg: bad thing\n");
    assert.equal(checkFailure(msg, "bad thing"), undefined);
    assert.match(checkFailure(msg, "a bad thing") ?? "", /expected error matching message "bad thing", but got: a bad thing/);
    const re = ev("eval instant at 0 x\n  expect fail regex: same label(set)?\n");
    assert.equal(checkFailure(re, "vector cannot contain metrics with the same labelset"), undefined);
    assert.ok(checkFailure(re, "other") !== undefined);
  });

  it("uses expected_fail_message after eval_fail", () => {
    const legacy = ev("eval_fail instant at 0 x\n  expected_fail_message boom\n");
    assert.equal(checkFailure(legacy, "boom"), undefined);
    assert.ok(checkFailure(legacy, "boom!") !== undefined);
  });
});

describe("checkAnnotations", () => {
  const w = "PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)";
  const i = "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"x\" (1:6)";

  it("ignores annotations without expect lines", () => {
    assert.equal(checkAnnotations(ev("eval instant at 0 x\n"), [w], [i]), undefined);
  });

  it("needs every expected annotation, and every annotation of an expected kind to be expected", () => {
    const exact = ev(`eval instant at 0 x\n  expect warn msg: ${w}\n`);
    assert.equal(checkAnnotations(exact, [w], [i]), undefined);
    assert.match(checkAnnotations(exact, [], []) ?? "", /expected warn annotations but none were found/);
    assert.match(checkAnnotations(exact, [w.replace("(1:10)", "(1:11)")], []) ?? "", /no matching annotation was found/);
    assert.match(checkAnnotations(exact, [w, "PromQL warning: other (1:1)"], []) ?? "", /unexpected warn annotation "PromQL warning: other \(1:1\)"/);
    const any = ev("eval instant at 0 x\n  expect info\n");
    assert.equal(checkAnnotations(any, [w], [i]), undefined);
    assert.match(checkAnnotations(any, [w], []) ?? "", /expected info annotations but none were found/);
    const re = ev("eval instant at 0 x\n  expect warn regex: between 0 and 1, got \\d+ \\(\\d+:\\d+\\)\n");
    assert.equal(checkAnnotations(re, [w], []), undefined);
  });

  it("forbids annotations with no_warn and no_info", () => {
    const none = ev("eval instant at 0 x\n  expect no_warn\n  expect no_info\n");
    assert.equal(checkAnnotations(none, [], []), undefined);
    assert.match(checkAnnotations(none, [w], []) ?? "", /unexpected warning annotations/);
    assert.match(checkAnnotations(none, [], [i]) ?? "", /unexpected info annotations/);
  });

  it("needs some annotation for the deprecated eval_warn and eval_info", () => {
    assert.match(checkAnnotations(ev("eval_warn instant at 0 x\n"), [], [i]) ?? "", /expected warnings but got none/);
    assert.match(checkAnnotations(ev("eval_info instant at 0 x\n"), [w], []) ?? "", /expected info annotations but got none/);
  });

  it("can ignore positions, for queries the runner rewrote", () => {
    const exact = ev(`eval instant at 0 x\n  expect warn msg: ${w}\n`);
    const moved = w.replace("(1:10)", "(1:24)");
    assert.ok(checkAnnotations(exact, [moved], []) !== undefined);
    assert.equal(checkAnnotations(exact, [moved], [], { ignorePositions: true }), undefined);
  });
});
