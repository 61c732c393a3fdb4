import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Labels, RegexSyntaxError } from "../../model/index.js";
import { compileRelabel, relabel, RelabelConfigError } from "./index.js";
import { captureGroupNames } from "./template.js";
import { CASES, toConfig, type RuleSpec } from "./testdata/cases.js";

describe("relabel table", () => {
  const byAction = new Map<string, typeof CASES>();
  for (const c of CASES) {
    const action = c.name.slice(0, c.name.indexOf(":"));
    byAction.set(action, [...(byAction.get(action) ?? []), c]);
  }
  for (const [action, cases] of byAction) {
    test(action, () => {
      assert.ok(cases.length >= 5, `${action} has only ${cases.length} cases`);
      for (const c of cases) {
        const got = relabel(Labels.fromRecord(c.input), compileRelabel(c.rules.map(toConfig)));
        const want = c.want === "dropped" ? undefined : Labels.fromRecord(c.want).toRecord();
        assert.deepEqual(got?.toRecord(), want, c.name);
      }
    });
  }
});

describe("relabel", () => {
  test("returns the input itself when no rule changes anything", () => {
    const input = Labels.fromRecord({ __name__: "up", job: "node", b: "x" });
    const rules = compileRelabel(
      [
        { source_labels: ["__name__"], regex: "go_.*", action: "drop" },
        { regex: "zzz", action: "labeldrop" },
        { source_labels: ["job"], target_label: "job" },
        { source_labels: ["b"], target_label: "a", replacement: "" },
      ].map((r) => toConfig(r as RuleSpec)),
    );
    assert.equal(relabel(input, rules), input);
  });

  test("does not modify its input", () => {
    const input = Labels.fromRecord({ a: "1" });
    const out = relabel(input, compileRelabel([toConfig({ target_label: "b", replacement: "2" })]));
    assert.deepEqual(input.toRecord(), { a: "1" });
    assert.deepEqual(out?.toRecord(), { a: "1", b: "2" });
  });

  test("keeps the result sorted when labels are added and removed", () => {
    const input = Labels.fromRecord({ m: "1", c: "2", x: "3" });
    const out = relabel(
      input,
      compileRelabel(
        [
          { target_label: "z", replacement: "z" },
          { target_label: "a", replacement: "a" },
          { target_label: "c", replacement: "" },
          { target_label: "n", replacement: "n" },
        ].map(toConfig),
      ),
    );
    assert.deepEqual(out?.names(), ["a", "m", "n", "x", "z"]);
  });
});

describe("compileRelabel", () => {
  const rejects: readonly { name: string; spec: RuleSpec; match: RegExp }[] = [
    { name: "a lookahead RE2 lacks", spec: { source_labels: ["a"], regex: "(?=x)", action: "keep" }, match: /invalid regex/ },
    { name: "an unbalanced group", spec: { source_labels: ["a"], regex: "(a", action: "keep" }, match: /invalid regex/ },
    { name: "hashmod without a modulus", spec: { source_labels: ["a"], target_label: "h", action: "hashmod" }, match: /modulus/ },
    { name: "replace without a target", spec: { source_labels: ["a"], action: "replace" }, match: /target_label/ },
    { name: "replace to an invalid name", spec: { source_labels: ["a"], target_label: "1a" }, match: /invalid 'target_label'/ },
    { name: "replace to a malformed template", spec: { source_labels: ["a"], target_label: "a-$1" }, match: /invalid 'target_label'/ },
    { name: "lowercase to a template", spec: { source_labels: ["a"], target_label: "$1", action: "lowercase" }, match: /invalid 'target_label'/ },
    { name: "labelmap to an invalid name", spec: { regex: "(.*)", replacement: "a.$1", action: "labelmap" }, match: /invalid 'replacement'/ },
  ];
  for (const { name, spec, match } of rejects) {
    test(`rejects ${name}`, () => {
      assert.throws(
        () => compileRelabel([toConfig({ target_label: "ok" }), toConfig(spec)]),
        (err: unknown) => err instanceof RelabelConfigError && err.ruleIndex === 1 && match.test(err.message),
      );
    });
  }

  test("keeps the RE2 syntax error as the cause", () => {
    try {
      compileRelabel([toConfig({ source_labels: ["a"], regex: "a\\1", action: "keep" })]);
      assert.fail("expected an error");
    } catch (err) {
      assert.ok(err instanceof RelabelConfigError);
      assert.equal(err.code, "invalid_relabel_config");
      assert.ok(err.cause instanceof RegexSyntaxError);
    }
  });

  test("accepts Go-only syntax", () => {
    const rules = compileRelabel([toConfig({ source_labels: ["a"], regex: "\\Qa.b\\E(?P<x>\\pL+)[[:digit:]]", target_label: "b", replacement: "$x" })]);
    assert.deepEqual(relabel(Labels.fromRecord({ a: "a.bxyz1" }), rules)?.toRecord(), { a: "a.bxyz1", b: "xyz" });
  });

  test("checks a long templated target label in linear time", () => {
    const label = `${"$a".repeat(5000)}-`;
    const start = performance.now();
    assert.throws(() => compileRelabel([toConfig({ source_labels: ["a"], target_label: label })]), RelabelConfigError);
    assert.ok(performance.now() - start < 1000);
  });
});

describe("captureGroupNames", () => {
  const cases: readonly [string, (string | undefined)[]][] = [
    ["abc", [undefined]],
    ["(a)(?:b)(?P<n>c)(?<m>d)", [undefined, undefined, "n", "m"]],
    ["\\((a)\\)", [undefined, undefined]],
    ["[(](a)[^)]", [undefined, undefined]],
    ["[]()](a)", [undefined, undefined]],
    ["[[:alpha:](](a)", [undefined, undefined]],
    ["\\Q(x)\\E(a)", [undefined, undefined]],
    ["(?i)(?P<1x>a)", [undefined, "1x"]],
  ];
  for (const [pattern, names] of cases) {
    test(pattern, () => assert.deepEqual(captureGroupNames(pattern), names));
  }
});
