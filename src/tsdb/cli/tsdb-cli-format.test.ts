import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { compatibleBlockDuration, DEFAULT_BLOCK_DURATION_MS } from "./backfill.js";
import { formatLabels } from "./dump.js";
import { formatBase2Bytes, formatGoDuration, formatGoUtcSecond } from "./go-format.js";
import { SeriesCollector } from "./series-collector.js";
import { formatTable } from "./tabwriter.js";

const H = 3_600_000;

describe("Go spellings", () => {
  const durations: [number, string][] = [
    [0, "0s"],
    [1, "1ms"],
    [999, "999ms"],
    [1000, "1s"],
    [1500, "1.5s"],
    [120_001, "2m0.001s"],
    [2_385_001, "39m45.001s"],
    [2 * H, "2h0m0s"],
    [6_999_001, "1h56m39.001s"],
    [-1500, "-1.5s"],
  ];
  for (const [ms, want] of durations) it(`duration ${ms} ms is ${want}`, () => assert.equal(formatGoDuration(ms), want));

  const sizes: [number, string][] = [
    [0, "0B"],
    [491, "491B"],
    [1024, "1KiB"],
    [2320, "2KiB272B"],
    [3 * 1024 * 1024 + 5, "3MiB5B"],
  ];
  for (const [n, want] of sizes) it(`size ${n} is ${want}`, () => assert.equal(formatBase2Bytes(n), want));

  it("prints times as Go's time.Time.String in UTC, truncated to the second", () => {
    assert.equal(formatGoUtcSecond(1700004000999), "2023-11-14 23:20:00 +0000 UTC");
    assert.equal(formatGoUtcSecond(10000), "1970-01-01 00:00:10 +0000 UTC");
  });

  it("prints labels as Prometheus 2.42: names bare, values Go-quoted", () => {
    assert.equal(formatLabels(Labels.fromRecord({ __name__: "t", unit: "°C", q: 'a"b\n' })), '{__name__="t", q="a\\"b\\n", unit="°C"}');
  });
});

describe("formatTable", () => {
  it("pads every column but the last to its widest cell plus padding, at least the minimum width", () => {
    const lines = formatTable(
      [
        ["A", "LONGER HEADER", "Z"],
        ["wide cell here", "x", "last"],
      ],
      { minWidth: 5, padding: 2 },
    );
    assert.deepEqual(lines, ["A               LONGER HEADER  Z", "wide cell here  x              last"]);
  });

  it("counts code points, not UTF-16 units", () => {
    assert.deepEqual(formatTable([["°C😀", "b"], ["x", "y"]], { minWidth: 0, padding: 1 }), ["°C😀 b", "x   y"]);
  });
});

describe("compatibleBlockDuration", () => {
  const cases: [number | undefined, number][] = [
    [undefined, 2 * H],
    [H, 2 * H],
    [5 * H, 2 * H],
    [6 * H, 6 * H],
    [24 * H, 18 * H],
    [1e12, DEFAULT_BLOCK_DURATION_MS * 3 ** 9],
  ];
  for (const [max, want] of cases) it(`${max} ms gives ${want / H}h`, () => assert.equal(compatibleBlockDuration(max), want));
});

describe("SeriesCollector (promtool's head appender)", () => {
  const a = Labels.fromRecord({ __name__: "a" });
  const spelling = new TextEncoder().encode("a");
  const samples = (c: SeriesCollector) => {
    const [s] = c.series();
    const out: [number, number][] = [];
    const it = s?.iterator();
    while (it?.next()) out.push([it.at(), it.value()]);
    return out;
  };

  it("drops out-of-order and duplicate samples within one batch", () => {
    const c = new SeriesCollector();
    for (const [t, v] of [[10, 1], [5, 2], [10, 3], [20, 4]] as const) c.append(spelling, () => a, t, v);
    c.commit();
    assert.deepEqual(samples(c), [[10, 1], [20, 4]]);
  });

  it("rejects a sample older than the committed ones, or at the same time with another value", () => {
    const c = new SeriesCollector();
    c.append(spelling, () => a, 10, 1);
    c.commit();
    assert.throws(() => c.append(spelling, () => a, 5, 1), /^TsdbToolError: add sample: out of order sample$/);
    assert.throws(() => c.append(spelling, () => a, 10, 2), /duplicate sample for timestamp/);
    c.append(spelling, () => a, 10, 1);
    c.commit();
    assert.deepEqual(samples(c), [[10, 1]]);
  });

  it("treats different spellings of the same labels as one series", () => {
    const c = new SeriesCollector();
    const ab = Labels.fromRecord({ __name__: "m", a: "1", b: "2" });
    c.append(new TextEncoder().encode('m{a="1",b="2"}'), () => ab, 1, 1);
    c.append(new TextEncoder().encode('m{b="2",a="1"}'), () => ab, 2, 2);
    c.commit();
    assert.equal(c.series().length, 1);
  });
});
