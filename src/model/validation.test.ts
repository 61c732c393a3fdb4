import { test } from "node:test";
import assert from "node:assert/strict";
import { Labels } from "./labels.js";
import { InvalidLabelError } from "./errors.js";
import {
  isValidLegacyMetricName,
  isValidLegacyLabelName,
  isValidMetricName,
  isValidLabelName,
  isValidLabelValue,
  isReservedLabelName,
  needsQuoting,
  validateLabels,
} from "./validation.js";

// Rows: [name, legacy metric, legacy label, utf8 (metric and label)].
const NAMES: readonly (readonly [string, boolean, boolean, boolean])[] = [
  ["up", true, true, true],
  ["http_requests_total", true, true, true],
  ["Abc_09", true, true, true],
  ["_x", true, true, true],
  ["__name__", true, true, true],
  ["job:rate5m", true, false, true],
  [":", true, false, true],
  ["0abc", false, false, true],
  ["a-b", false, false, true],
  ["service.name", false, false, true],
  ["a b", false, false, true],
  ["日本", false, false, true],
  ["é", false, false, true],
  ["😀", false, false, true],
  ["", false, false, false],
  ["a\ud800", false, false, false],
  ["\udc00b", false, false, false],
];

test("names under the legacy and utf8 schemes", () => {
  for (const [name, metric, label, utf8] of NAMES) {
    const n = JSON.stringify(name);
    assert.equal(isValidLegacyMetricName(name), metric, `legacy metric ${n}`);
    assert.equal(isValidMetricName(name, "legacy"), metric, `legacy metric ${n}`);
    assert.equal(isValidLegacyLabelName(name), label, `legacy label ${n}`);
    assert.equal(isValidLabelName(name, "legacy"), label, `legacy label ${n}`);
    assert.equal(isValidMetricName(name, "utf8"), utf8, `utf8 metric ${n}`);
    assert.equal(isValidLabelName(name), utf8, `utf8 label ${n}`);
  }
});

test("label values must be well-formed unicode, empty included", () => {
  assert.ok(isValidLabelValue(""));
  assert.ok(isValidLabelValue("any\nthing 😀"));
  assert.ok(!isValidLabelValue("bad\ud83d"));
});

test("reserved names are still valid", () => {
  assert.ok(isReservedLabelName("__meta_consul_service"));
  assert.ok(!isReservedLabelName("_x"));
  assert.ok(isValidLabelName("__meta_consul_service", "legacy"));
});

test("needsQuoting follows the legacy rules", () => {
  assert.equal(needsQuoting("job"), false);
  assert.equal(needsQuoting("job:rate"), true);
  assert.equal(needsQuoting("job:rate", "metric"), false);
  assert.equal(needsQuoting("service.name", "metric"), true);
  assert.equal(needsQuoting(""), true);
});

test("validateLabels names the offending label", () => {
  validateLabels(Labels.fromRecord({ __name__: "up", "service.name": "x" }), "utf8");
  const cases: readonly (readonly [Record<string, string>, "utf8" | "legacy", string])[] = [
    [{ __name__: "up", "service.name": "x" }, "legacy", "service.name"],
    [{ __name__: "a.b" }, "legacy", "__name__"],
    [{ job: "x\udfff" }, "utf8", "job"],
    [{ "bad\ud800": "x" }, "utf8", "bad\ud800"],
  ];
  for (const [record, scheme, name] of cases) {
    assert.throws(
      () => validateLabels(Labels.fromRecord(record), scheme),
      (err: unknown) => err instanceof InvalidLabelError && err.labelName === name && err.code === "invalid_label",
      JSON.stringify(record),
    );
  }
});
