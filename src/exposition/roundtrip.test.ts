import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { contentTypeFor, parse, serialize } from "./index.js";
import type { Format, MetricFamily } from "./index.js";
import { familiesArb } from "./testing-arbitraries.js";

/** Plain data for deep comparison (Labels hide their pairs in private fields). */
function plain(fams: readonly MetricFamily[]): unknown {
  return fams.map((f) => ({
    ...f,
    samples: f.samples.map((s) => ({
      ...s,
      labels: [...s.labels],
      ...(s.exemplar ? { exemplar: { ...s.exemplar, labels: [...s.exemplar.labels] } } : {}),
    })),
  }));
}

for (const format of ["prometheus-text-0.0.4", "openmetrics-1.0.0"] as Format[]) {
  test(`round trip parse(serialize(x)) = x: ${format}`, () => {
    fc.assert(
      fc.property(familiesArb({ format, extras: true }), (fams) => {
        const text = serialize(fams, format);
        assert.deepStrictEqual(plain(parse(text, contentTypeFor(format))), plain(fams), text);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
}

test("serializer output details", () => {
  const fams = parse('# HELP c_total A \\\\ b\\n.\n# TYPE c_total counter\nc_total{a="x\\"y"} 1e+06 5\n');
  assert.equal(serialize(fams, "prometheus-text-0.0.4"), '# HELP c_total A \\\\ b\\n.\n# TYPE c_total counter\nc_total{a="x\\"y"} 1e+06 5\n');
  assert.equal(serialize(fams, "openmetrics-1.0.0"), '# HELP c A \\\\ b\\n.\n# TYPE c counter\nc_total{a="x\\"y"} 1e+06 0.005\n# EOF\n');
  assert.equal(contentTypeFor("prometheus-text-0.0.4"), "text/plain; version=0.0.4; charset=utf-8");
  assert.equal(contentTypeFor("openmetrics-1.0.0"), "application/openmetrics-text; version=1.0.0; charset=utf-8");
});
