import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../model/index.js";
import { staleNaN, isStaleNaN, type SampleIterator, type SeriesSet } from "./interface.js";
import { concatIterators, mergeIterators } from "./sample-iterators.js";
import { listSeriesSet, mergeSeriesSets, seriesFromSamples } from "./series-sets.js";

const L = (v: string) => Labels.fromRecord({ __name__: "m", s: v });
const S = (v: string, ts: number[], vs: number[] = ts) => seriesFromSamples(L(v), ts, vs);

function drain(it: SampleIterator): [number, number][] {
  const out: [number, number][] = [];
  while (it.next()) out.push([it.at(), it.value()]);
  return out;
}

function dump(set: SeriesSet): [string, [number, number][]][] {
  const out: [string, [number, number][]][] = [];
  while (set.next()) out.push([set.at().labels.get("s"), drain(set.at().iterator())]);
  return out;
}

describe("mergeSeriesSets", () => {
  it("merges sorted sets by labels and equal series by time, first set winning ties", () => {
    const a = listSeriesSet([S("a", [1, 3]), S("c", [1])], ["w1"]);
    const b = listSeriesSet([S("b", [2]), S("a", [2, 3], [20, 30])], ["w1", "w2"]);
    const set = mergeSeriesSets([a, b, listSeriesSet([])]);
    assert.deepEqual(dump(set), [
      ["a", [[1, 1], [2, 20], [3, 3]]],
      ["b", [[2, 2]]],
      ["c", [[1, 1]]],
    ]);
    assert.deepEqual(set.warnings(), ["w1", "w2"]);
  });

  it("yields nothing for no sets", () => {
    assert.deepEqual(dump(mergeSeriesSets([])), []);
  });
});

describe("sample iterators", () => {
  it("merges overlapping iterators and seeks across them", () => {
    const it1 = mergeIterators([S("a", [1, 4, 7]).iterator(), S("a", [2, 4, 9], [0, 0, 0]).iterator()]);
    assert.ok(it1.seek(3));
    assert.deepEqual([it1.at(), it1.value()], [4, 4]);
    assert.ok(it1.seek(4));
    assert.deepEqual(drain(it1), [[7, 7], [9, 0]]);
    assert.equal(it1.seek(100), false);
  });

  it("concatenates iterators in order, seeking into later ones", () => {
    const it1 = concatIterators([S("a", [1, 2]).iterator(), S("a", []).iterator(), S("a", [5, 6]).iterator()]);
    assert.ok(it1.seek(2));
    assert.equal(it1.at(), 2);
    assert.ok(it1.seek(3));
    assert.equal(it1.at(), 5);
    assert.deepEqual(drain(it1), [[6, 6]]);
  });

  it("keeps stale markers when built from a Float64Array", () => {
    const it1 = seriesFromSamples(L("x"), [1], Float64Array.of(staleNaN())).iterator();
    assert.ok(it1.next());
    assert.ok(isStaleNaN(it1.value()));
  });
});
