import { test } from "node:test";
import assert from "node:assert/strict";
import { Labels, compareStrings } from "./labels.js";

test("sorts by name, drops empty values, later duplicates win", () => {
  const ls = Labels.fromPairs([
    ["job", "api"],
    ["__name__", "up"],
    ["empty", ""],
    ["instance", "a:1"],
    ["job", "web"],
  ]);
  assert.deepEqual(ls.names(), ["__name__", "instance", "job"]);
  assert.equal(ls.get("job"), "web");
  assert.equal(ls.get("empty"), "");
  assert.equal(ls.has("empty"), false);
  assert.equal(ls.metricName, "up");
  assert.equal(ls.size, 3);
});

test("a later empty value removes an earlier pair", () => {
  const ls = Labels.fromPairs([{ name: "a", value: "1" }, { name: "a", value: "" }]);
  assert.equal(ls.size, 0);
  assert.ok(ls.equals(Labels.EMPTY));
});

test("with, without and keep return new sets", () => {
  const ls = Labels.fromRecord({ a: "1", b: "2", c: "3" });
  assert.deepEqual(ls.with("d", "4").toRecord(), { a: "1", b: "2", c: "3", d: "4" });
  assert.deepEqual(ls.with("a", "").toRecord(), { b: "2", c: "3" });
  assert.deepEqual(ls.without("b").toRecord(), { a: "1", c: "3" });
  assert.deepEqual(ls.keep("b", "z").toRecord(), { b: "2" });
  assert.deepEqual(ls.toRecord(), { a: "1", b: "2", c: "3" });
});

test("equals and compare follow Prometheus ordering", () => {
  const a = Labels.fromRecord({ a: "1", b: "2" });
  assert.ok(a.equals(Labels.fromRecord({ b: "2", a: "1" })));
  assert.ok(!a.equals(Labels.fromRecord({ a: "1", b: "3" })));
  const ordered = [
    Labels.EMPTY,
    Labels.fromRecord({ a: "1" }),
    Labels.fromRecord({ a: "1", b: "1" }),
    Labels.fromRecord({ a: "1", c: "0" }),
    Labels.fromRecord({ a: "2" }),
    Labels.fromRecord({ b: "0" }),
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const c = (ordered[i] as Labels).compare(ordered[j] as Labels);
      assert.equal(Math.sign(c), Math.sign(i - j), `${String(ordered[i])} vs ${String(ordered[j])}`);
    }
  }
});

test("compareStrings orders by UTF-8 bytes as Go does", () => {
  // U+FF5E is 3 bytes (EF BD 9E) and sorts before U+1F600 (F0 9F 98 80), unlike UTF-16 order.
  assert.ok(compareStrings("\uff5e", "😀") < 0);
  assert.ok(compareStrings("😀", "\uff5e") > 0);
  assert.ok(compareStrings("a", "b") < 0);
  assert.ok(compareStrings("ab", "a") > 0);
  assert.equal(compareStrings("x", "x"), 0);
});

test("toString uses Prometheus notation with Go quoting", () => {
  const ls = Labels.fromRecord({ __name__: "up", job: 'a"b\n', "service.name": "x" });
  assert.equal(ls.toString(), '{__name__="up", job="a\\"b\\n", "service.name"="x"}');
  assert.equal(Labels.fromRecord({ a: "\u0000" }).toString(), '{a="\\x00"}');
  assert.equal(Labels.EMPTY.toString(), "{}");
});

test("hash is stable across construction order and differs between sets", () => {
  const a = Labels.fromPairs([["a", "1"], ["b", "2"]]);
  const b = Labels.fromPairs([["b", "2"], ["a", "1"]]);
  assert.equal(a.hash(), b.hash());
  assert.equal(a.hash(), Labels.fromRecord({ a: "1", b: "2" }).hash());
  assert.notEqual(a.hash(), Labels.fromRecord({ a: "1", b: "3" }).hash());
  assert.notEqual(a.hash(), Labels.fromRecord({ a: "1" }).hash());
  assert.notEqual(Labels.EMPTY.hash(), Labels.fromRecord({ a: "1" }).hash());
});

test("hash does not confuse the separator with a character", () => {
  // Each set spells the same characters with the 0xFF code unit in different places.
  const sets = [
    Labels.fromRecord({ a: "b\u00ffc" }),
    Labels.fromRecord({ "a\u00ffb": "c" }),
    Labels.fromRecord({ a: "b", c: "d" }),
    Labels.fromRecord({ a: "b\u00ffc\u00ffd" }),
    Labels.fromRecord({ "a\u00ffb\u00ffc": "d" }),
    Labels.fromRecord({ ab: "c" }),
    Labels.fromRecord({ a: "bc" }),
  ];
  const hashes = new Set(sets.map((s) => s.hash()));
  assert.equal(hashes.size, sets.length);
});

test("no 64-bit collisions over 100k random label sets", () => {
  // A seeded generator keeps the test reproducible; it lives in the test, not in module state.
  let seed = 0x2545f491;
  const next = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const alphabet = "abcxyz_019\u00ff\u00e9日😀";
  const chars = [...alphabet];
  const word = (): string => {
    let s = "";
    const n = 1 + (next() % 6);
    for (let i = 0; i < n; i++) s += chars[next() % chars.length];
    return s;
  };
  const seen = new Map<bigint, string>();
  let distinct = 0;
  for (let i = 0; i < 100_000; i++) {
    const pairs: [string, string][] = [];
    const n = 1 + (next() % 4);
    for (let j = 0; j < n; j++) pairs.push([word(), word()]);
    const ls = Labels.fromPairs(pairs);
    const key = ls.toString();
    const prior = seen.get(ls.hash());
    if (prior === undefined) {
      seen.set(ls.hash(), key);
      distinct++;
    } else {
      assert.equal(prior, key, "two different label sets share a hash");
    }
  }
  assert.ok(distinct > 90_000);
});
