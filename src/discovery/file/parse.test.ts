import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FileSDFormatError } from "../errors.js";
import { parseFileSD } from "./parse.js";

describe("parseFileSD", () => {
  const accepted: [string, string, string, unknown][] = [
    ["JSON null", "f.json", "null", []],
    ["empty YAML", "f.yml", "", []],
    ["YAML null", "f.yaml", "~", []],
    ["JSON keys in any case, as Go's encoding/json", "f.json", '[{"Targets":["a:1"],"LABELS":{"x":"y"}}]', [{ source: "f.json:0", targets: [{ __address__: "a:1" }], labels: { x: "y", __meta_filepath: "f.json" } }]],
    ["YAML scalars as written", "f.yml", "- targets: [a:1]\n  labels: {n: 010, f: 1.50, b: yes, s: 'q'}", [{ source: "f.yml:0", targets: [{ __address__: "a:1" }], labels: { n: "010", f: "1.50", b: "yes", s: "q", __meta_filepath: "f.yml" } }]],
    ["YAML anchors", "f.yml", "- targets: [a:1]\n  labels: &l {x: y}\n- targets: [b:1]\n  labels: *l", [
      { source: "f.yml:0", targets: [{ __address__: "a:1" }], labels: { x: "y", __meta_filepath: "f.yml" } },
      { source: "f.yml:1", targets: [{ __address__: "b:1" }], labels: { x: "y", __meta_filepath: "f.yml" } },
    ]],
    ["null targets and labels", "f.json", '[{"targets":null,"labels":null}]', [{ source: "f.json:0", targets: [], labels: { __meta_filepath: "f.json" } }]],
    ["__meta_filepath overriding the file's own", "f.json", '[{"targets":[],"labels":{"__meta_filepath":"x"}}]', [{ source: "f.json:0", targets: [], labels: { __meta_filepath: "f.json" } }]],
  ];
  for (const [name, path, text, want] of accepted) {
    it(`accepts ${name}`, () => assert.deepEqual(parseFileSD(path, text), want));
  }

  const rejected: [string, string, string, RegExp][] = [
    ["malformed JSON", "f.json", "[{", /JSON/],
    ["a non-list", "f.json", '{"targets":[]}', /expected a list/],
    ["a null group", "f.json", "[null]", /nil target group item found/],
    ["an unknown field", "f.yml", "- targets: []\n  label: {}", /unknown field "label"/],
    ["a non-string target", "f.json", '[{"targets":[9100]}]', /every target must be a string/],
    ["a scalar targets", "f.yml", "- targets: a:1", /targets must be a list/],
    ["a non-string label value", "f.json", '[{"targets":[],"labels":{"a":1}}]', /label "a" must be a string/],
    ["an empty label name", "f.json", '[{"targets":[],"labels":{"":"v"}}]', /"" is not a valid label name/],
    ["duplicate YAML keys", "f.yml", "- targets: []\n  targets: []", /unique/],
    ["an unknown extension", "f.txt", "[]", /unhandled file extension/],
  ];
  for (const [name, path, text, message] of rejected) {
    it(`rejects ${name}`, () => {
      assert.throws(() => parseFileSD(path, text), (err: unknown) => err instanceof FileSDFormatError && err.path === path && message.test(err.message));
    });
  }

  it("applies the legacy name rules when asked", () => {
    assert.throws(() => parseFileSD("f.json", '[{"targets":[],"labels":{"a.b":"v"}}]', "legacy"), /"a.b" is not a valid label name/);
    assert.equal(parseFileSD("f.json", '[{"targets":[],"labels":{"a.b":"v"}}]', "utf8")[0]?.labels["a.b"], "v");
  });
});
