import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExpr, prettify } from "./index.js";
import { prettifyWithLimit } from "./prettier.js";

// [input, output] at a 10-column limit, from Prometheus's promql/parser/prettier_test.go.
const CASES: readonly (readonly [string, string])[] = [
  // Aggregations.
  ["sum(foo)", "sum(foo)"],
  ['sum by() (task:errors:rate10s{job="s"})', 'sum(\n  task:errors:rate10s{job="s"}\n)'],
  ['sum without(job,foo) (task:errors:rate10s{job="s"})', 'sum without (job, foo) (\n  task:errors:rate10s{job="s"}\n)'],
  ['sum(task:errors:rate10s{job="s"}) without(job,foo)', 'sum without (job, foo) (\n  task:errors:rate10s{job="s"}\n)'],
  ['sum by(job,foo) (task:errors:rate10s{job="s"})', 'sum by (job, foo) (\n  task:errors:rate10s{job="s"}\n)'],
  ['sum (task:errors:rate10s{job="s"}) by(job,foo)', 'sum by (job, foo) (\n  task:errors:rate10s{job="s"}\n)'],
  ['topk(10, ask:errors:rate10s{job="s"})', 'topk(\n  10,\n  ask:errors:rate10s{job="s"}\n)'],
  [
    'sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"}))',
    'sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job="s"}\n  )\n)',
  ],
  [
    'sum by(job,foo) (sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"})))',
    'sum by (job, foo) (\n  sum by (job, foo) (\n    sum by (job, foo) (\n      task:errors:rate10s{job="s"}\n    )\n  )\n)',
  ],
  [
    'sum by(job,foo)\n(sum(task:errors:rate10s{job="s"}) without(job,foo))',
    'sum by (job, foo) (\n  sum without (job, foo) (\n    task:errors:rate10s{job="s"}\n  )\n)',
  ],
  [
    'sum by(job,foo) # Comment 1.\n(sum by(job,foo) ( # Comment 2.\ntask:errors:rate10s{job="s"}))',
    'sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job="s"}\n  )\n)',
  ],
  // Binary expressions.
  ["a+b", "a + b"],
  ["a == bool 1", "  a\n== bool\n  1"],
  ["a + ignoring(job) b", "  a\n+ ignoring (job)\n  b"],
  ["foo_1 + foo_2", "  foo_1\n+\n  foo_2"],
  ["foo_1 + foo_2 + foo_3", "    foo_1\n  +\n    foo_2\n+\n  foo_3"],
  ["foo + baar + foo_3", "  foo + baar\n+\n  foo_3"],
  ["foo_1 + foo_2 + foo_3 + foo_4", "      foo_1\n    +\n      foo_2\n  +\n    foo_3\n+\n  foo_4"],
  [
    "foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4",
    "      foo_1\n    + ignoring (foo)\n      foo_2\n  + ignoring (job) group_left ()\n    foo_3\n+ on (instance) group_right ()\n  foo_4",
  ],
  // Calls.
  ["rate(foo[1m])", "rate(\n  foo[1m]\n)"],
  ["sum_over_time(foo[1m])", "sum_over_time(\n  foo[1m]\n)"],
  ["rate(long_vector_selector[10m:1m] @ start() offset 1m)", "rate(\n  long_vector_selector[10m:1m] @ start() offset 1m\n)"],
  ["histogram_quantile(0.9, rate(foo[1m]))", "histogram_quantile(\n  0.9,\n  rate(\n    foo[1m]\n  )\n)"],
  [
    "max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)",
    "max_over_time(\n  rate(\n    demo_api_request_duration_seconds_count[1m]\n  )[1m:] @ start() offset 1m\n)",
  ],
  [
    'label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")',
    'label_replace(\n  up{job="api-server",service="a:c"},\n  "foo",\n  "$1",\n  "service",\n  "(.*):.*"\n)',
  ],
  [
    'label_replace(label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*")',
    'label_replace(\n  label_replace(\n    up{job="api-server",service="a:c"},\n    "foo",\n    "$1",\n    "service",\n    "(.*):.*"\n  ),\n  "foo",\n  "$1",\n  "service",\n  "(.*):.*"\n)',
  ],
  // Parentheses.
  ["(foo)", "(foo)"],
  ["(_foo_long_)", "(\n  _foo_long_\n)"],
  ["((foo_long))", "(\n  (foo_long)\n)"],
  ["((_foo_long_))", "(\n  (\n    _foo_long_\n  )\n)"],
  ["(((foo_long)))", "(\n  (\n    (foo_long)\n  )\n)"],
  // @ modifiers.
  ["a @ 1", "a @ 1.000"],
  ["a @ start()", "a @ start()"],
  ["vector_selector @ start()", "vector_selector @ start()"],
  // Mixed.
  ["(1 + 2)", "(1 + 2)"],
  ["(foo + bar)", "(\n  foo + bar\n)"],
  ["(foo_long + bar_long)", "(\n    foo_long\n  +\n    bar_long\n)"],
  ["(foo_long + bar_long + bar_2_long)", "(\n      foo_long\n    +\n      bar_long\n  +\n    bar_2_long\n)"],
  ["((foo_long + bar_long) + bar_2_long)", "(\n    (\n        foo_long\n      +\n        bar_long\n    )\n  +\n    bar_2_long\n)"],
  ["(1111 + 2222)", "(\n    1111\n  +\n    2222\n)"],
  ["(sum_over_time(foo[1m]))", "(\n  sum_over_time(\n    foo[1m]\n  )\n)"],
  ["histogram_quantile(0.9, rate(foo[1m] @ start()))", "histogram_quantile(\n  0.9,\n  rate(\n    foo[1m] @ start()\n  )\n)"],
  [
    '(label_replace(label_replace((up{job="api-server",service="a:c"}), "foo", "$1", "service", "(.*):.*"), "foo", "$1", "service", "(.*):.*"))',
    '(\n  label_replace(\n    label_replace(\n      (\n        up{job="api-server",service="a:c"}\n      ),\n      "foo",\n      "$1",\n      "service",\n      "(.*):.*"\n    ),\n    "foo",\n    "$1",\n    "service",\n    "(.*):.*"\n  )\n)',
  ],
  [
    '(node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 24*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0)',
    [
      "(",
      '            node_filesystem_avail_bytes{fstype!="",job="node"}',
      "          /",
      '            node_filesystem_size_bytes{fstype!="",job="node"}',
      "        *",
      "          100",
      "      <",
      "        40",
      "    and",
      "        predict_linear(",
      '          node_filesystem_avail_bytes{fstype!="",job="node"}[6h],',
      "            24 * 60",
      "          *",
      "            60",
      "        )",
      "      <",
      "        0",
      "  and",
      '      node_filesystem_readonly{fstype!="",job="node"}',
      "    ==",
      "      0",
      ")",
    ].join("\n"),
  ],
  [
    "(node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0)",
    [
      "  (",
      "        node_timex_offset_seconds",
      "      >",
      "        0.05",
      "    and",
      "        deriv(",
      "          node_timex_offset_seconds[5m]",
      "        )",
      "      >=",
      "        0",
      "  )",
      "or",
      "  (",
      "        node_timex_offset_seconds",
      "      <",
      "        -0.05",
      "    and",
      "        deriv(",
      "          node_timex_offset_seconds[5m]",
      "        )",
      "      <=",
      "        0",
      "  )",
    ].join("\n"),
  ],
  [
    'min by (job, integration) (rate(alertmanager_notifications_failed_total{job="alertmanager", integration=~".*"}[5m]) / rate(alertmanager_notifications_total{job="alertmanager", integration="~.*"}[5m])) > 0.01',
    [
      "  min by (job, integration) (",
      "      rate(",
      '        alertmanager_notifications_failed_total{integration=~".*",job="alertmanager"}[5m]',
      "      )",
      "    /",
      "      rate(",
      '        alertmanager_notifications_total{integration="~.*",job="alertmanager"}[5m]',
      "      )",
      "  )",
      ">",
      "  0.01",
    ].join("\n"),
  ],
  [
    '(count by (job) (changes(process_start_time_seconds{job="alertmanager"}[10m]) > 4) / count by (job) (up{job="alertmanager"})) >= 0.5',
    [
      "  (",
      "      count by (job) (",
      "          changes(",
      '            process_start_time_seconds{job="alertmanager"}[10m]',
      "          )",
      "        >",
      "          4",
      "      )",
      "    /",
      "      count by (job) (",
      '        up{job="alertmanager"}',
      "      )",
      "  )",
      ">=",
      "  0.5",
    ].join("\n"),
  ],
  // Unary expressions.
  ["-1", "-1"],
  ["-vector_selector", "-vector_selector"],
  ["(-vector_selector)", "(\n  -vector_selector\n)"],
  ["-histogram_quantile(0.9,rate(foo[1m]))", "-histogram_quantile(\n  0.9,\n  rate(\n    foo[1m]\n  )\n)"],
  [
    "-histogram_quantile(0.99, sum by (le) (rate(foo[1m])))",
    "-histogram_quantile(\n  0.99,\n  sum by (le) (\n    rate(\n      foo[1m]\n    )\n  )\n)",
  ],
  ["-histogram_quantile(0.9, -rate(foo[1m] @ start()))", "-histogram_quantile(\n  0.9,\n  -rate(\n    foo[1m] @ start()\n  )\n)"],
  ["(-histogram_quantile(0.9, -rate(foo[1m] @ start())))", "(\n  -histogram_quantile(\n    0.9,\n    -rate(\n      foo[1m] @ start()\n    )\n  )\n)"],
];

describe("prettify", () => {
  for (const [input, output] of CASES) {
    it(JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input), () => {
      assert.equal(prettifyWithLimit(parseExpr(input), 10), output);
    });
  }

  it("keeps expressions of up to 100 bytes on one line", () => {
    const short = 'sum by (job) (rate(http_requests_total{job="api-server"}[5m]))';
    assert.equal(prettify(parseExpr(short)), short);
    const long = `${short} / ${short}`;
    assert.equal(prettify(parseExpr(long)), `  ${short}\n/\n  ${short}`);
  });
});
