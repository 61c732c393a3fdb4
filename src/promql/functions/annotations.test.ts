// Annotation texts (Prometheus's util/annotations and its tests, and the testdata `expect` lines)
// and the Go float verbs they are built with.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  badBucketLabelWarning,
  histogramIgnoredInAggregationInfo,
  histogramIgnoredInMixedRangeInfo,
  histogramQuantileForcedMonotonicityInfo,
  invalidQuantileWarning,
  invalidRatioWarning,
  mergeForcedMonotonicityStats,
  mightNotBeCounter,
  mixedClassicNativeHistogramsWarning,
  mixedFloatsHistogramsWarning,
  nativeHistogramNotCounterWarning,
  nativeHistogramNotGaugeWarning,
  possibleNonCounterInfo,
  possibleNonCounterLabelInfo,
} from "./annotations.js";
import { formatGoF, formatGoG } from "./go-format.js";

describe("formatGoG (%g)", () => {
  const cases: readonly [number, string][] = [
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [0, "0"],
    [-0, "-0"],
    [1, "1"],
    [-1.1, "-1.1"],
    [2, "2"],
    [0.5, "0.5"],
    [123456, "123456"],
    [1234567, "1.234567e+06"],
    [1e6, "1e+06"],
    [1e21, "1e+21"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [1e100, "1e+100"],
    [5e-324, "5e-324"],
    [0.1 + 0.2, "0.30000000000000004"],
    [100, "100"],
  ];
  for (const [x, s] of cases) it(`${x} → ${s}`, () => assert.equal(formatGoG(x), s));
});

describe("formatGoG with precision (%.Ng)", () => {
  const cases: readonly [number, number, string][] = [
    [10, 2, "10"],
    [100, 2, "1e+02"],
    [5.5, 2, "5.5"],
    [0.01, 2, "0.01"],
    [5, 2, "5"],
    [0.05, 2, "0.05"],
    [7.5, 2, "7.5"],
    [123.456, 2, "1.2e+02"],
    [0.125, 2, "0.12"],
    [0.375, 2, "0.38"],
    [9.99, 2, "10"],
    [0, 2, "0"],
    [1234, 0, "1e+03"],
  ];
  for (const [x, p, s] of cases) it(`%.${p}g of ${x} → ${s}`, () => assert.equal(formatGoG(x, p), s));
});

describe("formatGoF (%.Nf)", () => {
  const cases: readonly [number, number, string][] = [
    [0, 6, "0.000000"],
    [1, 6, "1.000000"],
    [-0.25, 6, "-0.250000"],
    [1.5, 6, "1.500000"],
    [1e21, 6, "1000000000000000000000.000000"],
    [-3.0000005, 6, "-3.000001"],
    [1.0078125, 6, "1.007812"],
    [0.0000004, 6, "0.000000"],
    [0.9999996, 6, "1.000000"],
    [2.5, 0, "2"],
    [3.5, 0, "4"],
    [NaN, 6, "NaN"],
    [-Infinity, 6, "-Inf"],
  ];
  for (const [x, p, s] of cases) it(`%.${p}f of ${x} → ${s}`, () => assert.equal(formatGoF(x, p), s));
});

describe("annotation texts", () => {
  const cases: readonly [string, string][] = [
    [invalidQuantileWarning(NaN), "PromQL warning: quantile value should be between 0 and 1, got NaN"],
    [invalidQuantileWarning(-0.1), "PromQL warning: quantile value should be between 0 and 1, got -0.1"],
    [invalidQuantileWarning(1.01), "PromQL warning: quantile value should be between 0 and 1, got 1.01"],
    [invalidRatioWarning(1.1, 1), "PromQL warning: ratio value should be between -1 and 1, got 1.1, capping to 1"],
    [invalidRatioWarning(-1.1, -1), "PromQL warning: ratio value should be between -1 and 1, got -1.1, capping to -1"],
    [
      possibleNonCounterInfo("http_requests"),
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "http_requests"',
    ],
    [
      possibleNonCounterLabelInfo("http_requests", "gauge"),
      'PromQL info: metric might not be a counter, __type__ label is not set to "counter" or "histogram", got "gauge": "http_requests"',
    ],
    [
      badBucketLabelWarning("series", "Hello World"),
      'PromQL warning: bucket label "le" is missing or has a malformed value of "Hello World" for metric name "series"',
    ],
    [badBucketLabelWarning("", ""), 'PromQL warning: bucket label "le" is missing or has a malformed value of ""'],
    [
      mixedClassicNativeHistogramsWarning("series"),
      'PromQL warning: vector contains a mix of classic and native histograms for metric name "series"',
    ],
    [
      mixedFloatsHistogramsWarning("http_requests_histogram"),
      'PromQL warning: encountered a mix of histograms and floats for metric name "http_requests_histogram"',
    ],
    [
      histogramIgnoredInMixedRangeInfo("another_mixed_metric"),
      'PromQL info: ignored histograms in a range containing both floats and histograms for metric name "another_mixed_metric"',
    ],
    [histogramIgnoredInAggregationInfo("sum"), "PromQL info: ignored histogram in sum aggregation"],
    [
      nativeHistogramNotCounterWarning("http_requests_histogram"),
      'PromQL warning: this native histogram metric is not a counter: "http_requests_histogram"',
    ],
    [nativeHistogramNotGaugeWarning("nhcb_metric"), 'PromQL warning: this native histogram metric is not a gauge: "nhcb_metric"'],
    [
      histogramQuantileForcedMonotonicityInfo(""),
      "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)",
    ],
    [
      // Quoted with Go's %q.
      possibleNonCounterInfo('a"b\n'),
      'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "a\\"b\\n"',
    ],
  ];
  for (const [got, want] of cases) it(want, () => assert.equal(got, want));

  it("merges forced-monotonicity stats into Prometheus's summary (annotations_test.go)", () => {
    const occurrences = [
      { minTs: 1735084800000, maxTs: 1735084800000, minBucket: 5, maxBucket: 50, maxDiff: 5.5, samples: 1 },
      { minTs: 1703462400000, maxTs: 1703462400000, minBucket: 10, maxBucket: 100, maxDiff: 10, samples: 1 },
      { minTs: 1733011200000, maxTs: 1733011200000, minBucket: 2.5, maxBucket: 75, maxDiff: 7.5, samples: 1 },
    ];
    const stats = occurrences.reduce(mergeForcedMonotonicityStats);
    assert.equal(
      histogramQuantileForcedMonotonicityInfo("series_1", stats),
      'PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "series_1", from buckets 2.5 to 100, with a max diff of 10, over 3 samples from 2023-12-25T00:00:00Z to 2024-12-25T00:00:00Z',
    );
  });

  it("knows the counter suffixes", () => {
    for (const name of ["a_total", "a_sum", "a_count", "a_bucket", ""]) assert.equal(mightNotBeCounter(name), false, name);
    for (const name of ["a", "a_totals", "total", "a_gauge"]) assert.equal(mightNotBeCounter(name), true, name);
  });
});
