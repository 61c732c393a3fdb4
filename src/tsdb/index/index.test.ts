import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels, Matcher, type MatchType } from "../../model/index.js";
import { tsdbFixturesDir } from "../testing/fixtures.js";
import { IndexReader, encodeIndex, type IndexSeries } from "./index.js";

const fixture: Record<string, string>[] = [
  { __name__: "m", job: "a", env: "prod" },
  { __name__: "m", job: "ab", env: "dev" },
  { __name__: "m", job: "b" },
  { __name__: "m", env: "prod" },
  { __name__: "other", job: "a", unit: "°C" },
];

function build(records: readonly Record<string, string>[], labelIndices = true): { reader: IndexReader; sorted: Labels[] } {
  const sorted = records.map((r) => Labels.fromRecord(r)).sort((a, b) => a.compare(b));
  const series: IndexSeries[] = sorted.map((labels, i) => ({
    labels,
    chunks: [
      { ref: 8 + i * 100, minTime: i * 1000, maxTime: i * 1000 + 10 },
      { ref: 8 + i * 100 + 50, minTime: i * 1000 + 11, maxTime: i * 1000 + 999 },
    ],
  }));
  return { reader: IndexReader.open(encodeIndex(series, { labelIndices })), sorted };
}

describe("index", () => {
  it("rewrites promtool 2.42's index files byte for byte from what it reads", async (t) => {
    const fixtures = tsdbFixturesDir(t);
    if (fixtures === undefined) return;
    for (const name of ["small", "two-blocks"]) {
      const data = join(fixtures, name, "data");
      for (const block of await readdir(data)) {
        const bytes = await readFile(join(data, block, "index"));
        const r = IndexReader.open(bytes, `${block}/index`);
        const series = r.allPostings().map((id) => r.series(id));
        assert.equal(series.length, 3);
        assert.deepEqual(Buffer.from(encodeIndex(series)), bytes, `${name}/${block}`);
      }
    }
  });

  for (const labelIndices of [true, false]) {
    it(`round-trips series, chunk metas, names and values (label indices: ${labelIndices})`, () => {
      const { reader, sorted } = build(fixture, labelIndices);
      const ids = reader.allPostings();
      assert.deepEqual(ids.map((id) => reader.series(id).labels.toString()), sorted.map(String));
      assert.deepEqual(reader.series(ids[4] as number).chunks, [
        { ref: 408, minTime: 4000, maxTime: 4010 },
        { ref: 458, minTime: 4011, maxTime: 4999 },
      ]);
      assert.deepEqual(reader.labelNames(), ["__name__", "env", "job", "unit"]);
      assert.deepEqual(reader.labelValues("job"), ["a", "ab", "b"]);
      assert.deepEqual(reader.labelValues("nope"), []);
      if (!labelIndices) assert.equal(reader.toc.labelIndicesTable, reader.toc.postingsTable);
    });
  }

  describe("resolves matchers through postings", () => {
    const m = (type: MatchType, n: string, v: string) => new Matcher(type, n, v);
    const cases: [string, Matcher[], number[]][] = [
      ["=", [m("=", "job", "a")], [0, 4]],
      ["= and =", [m("=", "__name__", "m"), m("=", "job", "a")], [0]],
      ["missing name", [m("=", "nope", "x")], []],
      ["!= keeps series without the label", [m("=", "__name__", "m"), m("!=", "job", "a")], [1, 2, 3]],
      ["=~ alternation", [m("=~", "job", "a|b")], [0, 2, 4]],
      ["=~ pattern", [m("=~", "job", "a.+")], [1]],
      ["!~", [m("=", "__name__", "m"), m("!~", "job", "a.*")], [2, 3]],
      ["!~ .* matches nothing", [m("=", "__name__", "m"), m("!~", "job", ".*")], []],
      ['="" selects series without the label', [m("=", "__name__", "m"), m("=", "env", "")], [2]],
      ['!="" requires the label', [m("!=", "env", "")], [0, 1, 3]],
      ["=~ matching empty or a value", [m("=", "__name__", "m"), m("=~", "env", "dev|")], [1, 2]],
      ["only empty-matching matchers", [m("=", "env", "")], [2, 4]],
      ["UTF-8 value", [m("=", "unit", "°C")], [4]],
      ["contradiction", [m("=", "job", "a"), m("=", "job", "b")], []],
    ];
    for (const [title, matchers, want] of cases) {
      it(`${title}: ${matchers.join(", ")}`, () => {
        const { reader } = build(fixture);
        const got = reader.postingsForMatchers(matchers).map((id) => reader.series(id).labels.toString());
        const expected = want.map((i) => Labels.fromRecord(fixture[i] as Record<string, string>)).sort((a, b) => a.compare(b));
        assert.deepEqual(got, expected.map(String));
      });
    }
  });

  it("sorts symbols and series in UTF-8 byte order", () => {
    // U+FF5E sorts before U+1F600 in UTF-8 although its UTF-16 code unit is larger.
    const { reader } = build([{ a: "\u{1F600}" }, { a: "\uFF5E" }, { a: "b" }]);
    assert.deepEqual(reader.labelValues("a"), ["b", "\uFF5E", "\u{1F600}"]);
  });

  it("detects corruption", () => {
    const bytes = encodeIndex([{ labels: Labels.fromRecord({ a: "b" }), chunks: [] }]);
    const flip = (b: Uint8Array, i: number) => {
      const c = b.slice();
      c[i] = (c[i] as number) ^ 1;
      return c;
    };
    const toc = flip(bytes, bytes.length - 10);
    assert.throws(() => IndexReader.open(toc), { code: "tsdb_corruption" });
    const id = IndexReader.open(bytes).allPostings()[0] as number;
    assert.throws(() => IndexReader.open(flip(bytes, id * 16 + 2)).series(id), { code: "tsdb_corruption" });
    assert.throws(() => IndexReader.open(new Uint8Array(100)), { code: "tsdb_corruption" });
    assert.throws(
      () => encodeIndex([{ labels: Labels.fromRecord({ a: "c" }), chunks: [] }, { labels: Labels.fromRecord({ a: "b" }), chunks: [] }]),
      { code: "tsdb_invalid_write" },
    );
  });
});
