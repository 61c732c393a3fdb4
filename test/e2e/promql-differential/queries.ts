// The query catalog: valid PromQL from templates over the generated data set, each run as an
// instant and as a range query against both servers.
//
// Left out on purpose, because Prometheus 2.42 and 3 answer them differently by design (each
// with the Prometheus change that made the difference):
// - holt_winters (2.x) / double_exponential_smoothing (3.0, #14930): renamed and flag-guarded.
// - Functions and operators newer than 2.42: limitk, limit_ratio, sort_by_label, mad_over_time,
//   first_over_time, ts_of_*, info, histogram_avg/stddev/stdvar, duration expressions
//   (`x[5m+1m]`, step()), durations as numbers (`x[300]`, `1m + 1`, 3.0 #15111), number
//   literals with underscores (#12821), UTF-8 names and quoted selectors (`{"a.b"="x"}`).
// - round() keeps __name__ in 2.42 and drops it in 3 (#15250), and so does the atan2 operator
//   (dropped since 2.46, #12595): both are only applied to operands without a metric name.
// - label_replace / label_join writing __name__ (3's delayed name removal changes when names are
//   dropped): never done.
// - predict_linear over a range selector with `@` in a range query (2.51 #13559 fixed it).
// - Left-closed (2.x) vs left-open (3.0 #13904, subqueries #15431) windows: see timing.ts; no
//   sample or subquery point ever sits on a left boundary.
// - rate() zero-point extrapolation order (2.51 #13725): see dataset.ts (first counter values);
//   rate()/increase() over a subquery only on steady targets' counters.
// - histogram_quantile tolerance for tiny bucket differences (2.49 #13153): the data's bucket
//   counts are integers, so bucket rates are equal or differ by far more than 1e-12.
// - topk/bottomk with ties (2.44 #12190 changed the heap): only used on continuous values;
//   NaN as their parameter fails in 3 (#16725) and is never used.
// - stddev/stdvar of infinities (3.0 #14941): never given infinite values.
// - avg and avg_over_time sum with Kahan compensation in 3 (#14413, #16569): equal within the
//   tolerance, but never fed to ceil/floor/round, which would turn 26.000000000000004 into 27.
// - Filter operators where several series of one side match one series of the other without
//   group_left/group_right: 3 (#17668) fails always, 2.42 only when several survive. Only
//   one-to-one filters, or explicit group modifiers, are used.
// - Regex `.` matching a newline (3.0 #14505): no label value holds a newline.
// Not a PromQL difference but a Go one: on amd64, Go's math.Exp overflows to +Inf from 709.44
// on (its documented "very large values overflow"), where the exact value is finite up to
// 709.78; no exp() argument falls in between.
import type { Dataset, TargetPlan } from "./dataset.js";
import type { QueryTimes, RangeWindow } from "./timing.js";

/** What part of PromQL a query exercises, for the summary. */
export type Category =
  | "selector"
  | "counter functions"
  | "over_time functions"
  | "math functions"
  | "time functions"
  | "label functions"
  | "other functions"
  | "histograms"
  | "aggregation"
  | "arithmetic"
  | "comparison"
  | "set operators"
  | "vector matching"
  | "subquery"
  | "offset and @"
  | "staleness"
  | "exotic values"
  | "literals and syntax";

/** One query of the catalog. */
export interface QueryCase {
  readonly expr: string;
  readonly category: Category;
  /** Instant evaluation time (Unix seconds, odd). */
  readonly time: number;
  /** Window of the range query. */
  readonly range: RangeWindow;
  /** A top-level sort()/sort_desc(): instant results are compared in order. */
  readonly ordered: boolean;
  /** Holds a subquery nested in a subquery (see timing.ts). */
  readonly nested: boolean;
}

interface Template {
  readonly expr: string;
  readonly time?: number;
  readonly range?: RangeWindow;
  readonly ordered?: boolean;
  readonly nested?: boolean;
}

const r = String.raw;

/** Builds the catalog for a data set and its query times. */
export function queryCatalog(ds: Dataset, times: QueryTimes): QueryCase[] {
  const t0 = times.t0;
  const at = (seconds: number) => t0 + seconds;
  const odd = (ms: number) => {
    const s = Math.ceil(ms / 1000);
    return s % 2 === 0 ? s + 1 : s;
  };
  // Targets that are scraped from the start and never fail: rate() over a subquery of their
  // counters never meets a restart's small second value after a gap (see dataset.ts).
  const steady = ds.targets.filter((t) => t.first === 0 && t.down === undefined && t.end === ds.slots).map((t) => t.instance);
  const steadyRe = `instance=~"${steady.slice(0, 6).join("|")}"`;
  const out: QueryCase[] = [];
  let n = 0;
  const add = (category: Category, templates: readonly (string | Template)[]) => {
    for (const t of templates) {
      const tpl = typeof t === "string" ? { expr: t } : t;
      out.push({
        expr: tpl.expr,
        category,
        time: tpl.time ?? (times.instants[n % times.instants.length] as number),
        range: tpl.range ?? (times.ranges[n % times.ranges.length] as RangeWindow),
        ordered: tpl.ordered ?? false,
        nested: tpl.nested ?? false,
      });
      n++;
    }
  };

  add("selector", [
    "up",
    'http_requests_total{job="api", code="500"}',
    'http_requests_total{handler=~"/api.*", method!="GET"}',
    'http_requests_total{code!~"2..", job=~"db|cache"}',
    '{__name__=~"node_memory_.*"}',
    '{__name__=~"temperature_.+", sensor=~"[0-3]"}',
    '{job="worker", __name__!~"queue_length|node_cpu_seconds_total|http_.*"}',
    'temperature_celsius{sensor!=""}',
    'http_requests_total{code=~"5..|", method="DELETE"}',
    'up{instance=~"(api|db)-[0-9]:.*"}',
    'up{instance!~".*:9100"}',
    'up{job=~"API"}',
    'up{job=~"(?i)API|Cache"}',
    'http_requests_total{handler=~"/(api|login).*", code="200", method="GET"}',
    '{__name__=~"http_request_duration_seconds_(sum|count)", handler="/login"}',
    'up{nonexistent=""}',
    'up{instance=~".+9187"}',
    'node_cpu_seconds_total{mode=~"i.*", cpu="1"}',
    'http_request_duration_seconds_bucket{le="+Inf", handler="/"}',
    r`http_request_duration_seconds_bucket{le=~"0\\.0.*", handler="/login", job="api"}`,
    '{__name__="queue_length", queue=~"q0[0-4]", instance="worker-1:9100"}',
    'queue_length{queue=~"q1.|q2[0-3]", queue!="q15", instance!="worker-0:9100"}',
    'build_info',
    'temperature_celsius{sensor="3", job="db"}[2m]',
    'http_requests_total{code="500", instance="api-0:8080"}[5m] offset 10m',
    `up{job="cache"}[1m] @ ${at(5407)}`,
    'node_memory_MemTotal_bytes[30s]',
    'nonexistent_metric',
    'nonexistent_metric{job="api"}[5m]',
    r`up{instance=~"[[:alpha:]]+-\\d:\\d+"}`,
    r`up{instance=~"\\w+-[0-9]+:80\\d\\d"}`,
    'up{job=~"(?i:API)|db"}',
    'up{job=~"^api$"}',
    'up{job=~"a.i|d."}',
    'up{instance=~".*:(8080|9100)"}',
    r`up{job=~"\\Qapi\\E"}`,
    'up{job=~"[^a-c].*"}',
    'up{job=~"(?s).*", instance=~"x*|.*-1:.*"}',
    'up{nonexistent=~"x*"}',
    'up{job!~"", instance=~".*"}',
    '{__name__=~"up", job=~""}',
    'up{job=~"ap"}',
    "count_over_time(up[1d])",
    "sum(up offset 1w)",
  ]);

  add("counter functions", [
    "rate(http_requests_total[5m])",
    'rate(http_requests_total{job="db"}[1m])',
    'rate(node_cpu_seconds_total{mode="user"}[10m])',
    "rate(disk_io_bytes_total[30s])",
    'rate(http_requests_total{code="500"}[1h])',
    "rate(http_request_duration_seconds_count[2m])",
    'irate(node_cpu_seconds_total{cpu="0"}[1m])',
    'irate(http_requests_total{job="api"}[5m])',
    'increase(http_requests_total{job="worker"}[10m])',
    "increase(http_request_duration_seconds_count[15m])",
    'increase(disk_io_bytes_total{direction="write"}[20m])',
    "delta(temperature_celsius[10m])",
    "delta(queue_length[5m])",
    'idelta(temperature_celsius{sensor=~"[12]"}[3m])',
    "idelta(node_memory_MemAvailable_bytes[2m])",
    "deriv(node_memory_MemAvailable_bytes[15m])",
    "deriv(temperature_celsius[30m])",
    "predict_linear(node_memory_MemAvailable_bytes[30m], 3600)",
    'predict_linear(temperature_celsius{job="api"}[10m], 600)',
    "predict_linear(disk_io_bytes_total[5m], -300)",
    "resets(http_requests_total[1h])",
    'resets(node_cpu_seconds_total{cpu="3"}[2h])',
    "changes(build_info[3h])",
    "changes(queue_length[10m])",
    "changes(up[1h])",
    "rate(http_requests_total[2h])",
  ]);

  add("over_time functions", [
    "avg_over_time(temperature_celsius[10m])",
    'min_over_time(temperature_celsius{sensor="7"}[5m])',
    "max_over_time(queue_length[30m])",
    'sum_over_time(queue_length{queue=~"q1."}[5m])',
    "count_over_time(flapping_gauge[20m])",
    "count_over_time(up[10m])",
    "quantile_over_time(0.9, temperature_celsius[15m])",
    'quantile_over_time(0.5, queue_length{instance="worker-2:9100"}[5m])',
    'quantile_over_time(0, temperature_celsius{job="api"}[5m])',
    'quantile_over_time(1, temperature_celsius{job="api"}[5m])',
    'quantile_over_time(-1, temperature_celsius{job="db"}[5m])',
    'quantile_over_time(2, temperature_celsius{job="db"}[5m])',
    "stddev_over_time(temperature_celsius[20m])",
    "stdvar_over_time(node_memory_MemAvailable_bytes[10m])",
    "last_over_time(flapping_gauge[10m])",
    'last_over_time(temperature_celsius{sensor="7"}[15m])',
    "present_over_time(flapping_gauge[3m])",
    "present_over_time(build_info[1h])",
    'absent_over_time(flapping_gauge{instance="api-0:8080"}[1m])',
    'absent_over_time(nonexistent_metric{job="x"}[5m])',
    'absent_over_time(temperature_celsius{sensor="7", instance="db-1:9187"}[2m])',
    "avg_over_time(node_cpu_seconds_total[4m])",
    'sum_over_time(temperature_celsius{sensor="0"}[1h])',
    'count_over_time({__name__=~"up|build_info"}[30m])',
  ]);

  add("math functions", [
    "abs(temperature_celsius)",
    "ceil(temperature_celsius)",
    "floor(temperature_celsius)",
    "round(rate(http_requests_total[5m]))",
    "round(avg by (job) (temperature_celsius), 0.5)",
    "round(sum by (instance) (node_memory_MemAvailable_bytes), 1e6)",
    "round(vector(-2.5))",
    "round(vector(2.5))",
    "round(-temperature_celsius, 3)",
    "exp(temperature_celsius / 10)",
    // Go's amd64 math.Exp overflows to +Inf from 709.44 on, not 709.78 (documented: "very large
    // values overflow"); arguments in between are a Go artifact, so none are used.
    "exp(round(temperature_celsius) * 100)",
    "ln(temperature_celsius)",
    "log2(node_memory_MemAvailable_bytes)",
    "log10(disk_io_bytes_total)",
    "sqrt(temperature_celsius)",
    "sgn(temperature_celsius)",
    "sin(temperature_celsius)",
    "cos(temperature_celsius)",
    "tan(temperature_celsius / 50)",
    "asin(temperature_celsius / 100)",
    "acos(temperature_celsius / 100)",
    "atan(temperature_celsius)",
    "sinh(temperature_celsius / 10)",
    "cosh(temperature_celsius / 10)",
    "tanh(temperature_celsius / 10)",
    "asinh(temperature_celsius)",
    "acosh(temperature_celsius)",
    "atanh(temperature_celsius / 100)",
    "deg(temperature_celsius)",
    "rad(temperature_celsius)",
    "pi()",
    "pi() * vector(2)",
    "clamp(temperature_celsius, -10, 40)",
    "clamp(temperature_celsius, 40, -10)",
    "clamp_min(queue_length, 50)",
    "clamp_max(queue_length, 50)",
    "clamp_max(clamp_min(rate(node_cpu_seconds_total[5m]), 0.1), 0.5)",
  ]);

  add("time functions", [
    "time()",
    "vector(time())",
    'timestamp(up{job="api"})',
    'timestamp(temperature_celsius{sensor="7"})',
    "timestamp(up offset 5m)",
    `timestamp(up{job="db"} @ ${at(7263)})`,
    "minute()",
    "hour()",
    "day_of_week()",
    "day_of_month()",
    "days_in_month()",
    "month()",
    "year()",
    "day_of_year()",
    "hour(process_start_time_seconds)",
    "day_of_month(process_start_time_seconds)",
    "day_of_week(process_start_time_seconds)",
    "month(timestamp(up))",
    "minute(timestamp(node_memory_MemTotal_bytes))",
    "days_in_month(vector(1706745600))",
    "day_of_year(vector(1709164800))",
    "year(vector(4102444800))",
    "time() - process_start_time_seconds",
    "timestamp(sum by (job) (up))",
    'timestamp(-temperature_celsius{sensor="0"})',
    'timestamp(timestamp(up{job="db"}))',
  ]);

  add("label functions", [
    'label_replace(up, "host", "$1", "instance", "(.*):.*")',
    r`label_replace(up, "port", "$2", "instance", "(.*):(\\d+)")`,
    'label_replace(temperature_celsius{job="api"}, "sensor", "s-$1", "sensor", "(.*)")',
    'label_replace(up, "foo", "bar", "nonexistent", "")',
    'label_replace(up, "job", "", "job", "api")',
    r`label_replace(rate(http_requests_total{job="db"}[5m]), "code_class", "${1}xx", "code", "(\\d)..")`,
    'label_replace(up, "x", "$1x", "job", "(.*)")',
    'label_replace(up, "x", "$1", "job", "a(.*)")',
    'label_join(up, "combo", "/", "job", "instance")',
    'label_join(temperature_celsius{job="cache"}, "sensor", "-", "sensor", "sensor")',
    'label_join(up, "empty", ",")',
    // The two versions' series become one: they never overlap in time, so no step has both.
    'label_replace(build_info, "version", "any", "version", ".*")',
    r`label_replace(up, "letters", "$1", "instance", "(\\pL+).*")`,
    'label_join(up, "j", "-", "job", "nonexistent", "instance")',
    'label_replace(exotic_values{kind="unicode"}, "last", "$1", "unit", ".*(.)")',
    'label_replace(exotic_values, "x", "$1", "kind", "(.).*")',
    'label_join(exotic_values{kind=~"unicode|quote.*"}, "both", "|", "kind", "unit")',
  ]);

  add("other functions", [
    "absent(nonexistent_metric)",
    'absent(up{job="nope", env="prod"})',
    "absent(up)",
    'absent(up{job=~"x.*", env="a"})',
    'scalar(up{instance="api-0:8080"})',
    "scalar(up)",
    "scalar(sum(up))",
    "vector(1)",
    "vector(scalar(count(up)))",
    'absent(nonexistent{job="a", job="b"})',
    "absent(sum(nonexistent))",
    'absent_over_time(nonexistent{a="b", c=~"d"}[5m])',
    { expr: 'sort(temperature_celsius{job="api"})', ordered: true },
    { expr: 'sort_desc(rate(node_cpu_seconds_total{mode="idle"}[5m]))', ordered: true },
    { expr: "sort(sum by (job) (rate(http_requests_total[5m])))", ordered: true },
    { expr: "sort_desc(node_memory_MemAvailable_bytes)", ordered: true },
  ]);

  add("histograms", [
    "histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))",
    "histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[10m])))",
    'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{handler="/login"}[5m])))',
    "histogram_quantile(0, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(1, sum by (le, handler) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(-0.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "histogram_quantile(1.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    'histogram_quantile(0.9, http_request_duration_seconds_bucket{job="cache"})',
    "histogram_quantile(0.75, sum without (instance, job) (rate(http_request_duration_seconds_bucket[15m])))",
    'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket{le!="+Inf", job="api"}[5m]))',
    'histogram_quantile(0.3, sum by (le) (rate(http_request_duration_seconds_bucket{le=~"0.1|1|10|\\\\+Inf"}[5m])))',
    "histogram_quantile(scalar(vector(0.3)), sum by (le) (rate(http_request_duration_seconds_bucket[5m])))",
    "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])",
    "sum by (handler) (rate(http_request_duration_seconds_sum[10m])) / sum by (handler) (rate(http_request_duration_seconds_count[10m]))",
    'sum by (le) (http_request_duration_seconds_bucket{handler="/"})',
    "histogram_quantile(0.95, sum by (le) (increase(http_request_duration_seconds_bucket[1h])))",
  ]);

  add("aggregation", [
    "sum(rate(http_requests_total[5m]))",
    "sum by (job) (rate(http_requests_total[5m]))",
    "sum without (instance, method) (rate(http_requests_total[5m]))",
    "sum by (job, code) (increase(http_requests_total[10m]))",
    "sum by () (up)",
    "min(temperature_celsius)",
    "min by (sensor) (temperature_celsius)",
    "max by (job) (node_memory_MemAvailable_bytes)",
    "max without (cpu) (rate(node_cpu_seconds_total[5m]))",
    "avg(temperature_celsius)",
    "avg by (instance) (temperature_celsius)",
    "avg without (mode) (rate(node_cpu_seconds_total[5m]))",
    "avg(node_memory_MemTotal_bytes)",
    "group(up)",
    "group by (job) (http_requests_total)",
    "group without (instance) (build_info)",
    "stddev(temperature_celsius)",
    "stddev by (job) (node_memory_MemAvailable_bytes)",
    "stdvar by (sensor) (temperature_celsius)",
    "stdvar(rate(http_requests_total[5m]))",
    "count(up)",
    "count by (job) (http_requests_total)",
    "count without (queue) (queue_length)",
    "count(up == 0)",
    "count by (nonexistent) (up)",
    'count_values("value", queue_length{instance="worker-0:9100"})',
    'count_values by (job) ("v", floor(temperature_celsius / 10))',
    'count_values("job", up)',
    'count_values("rate", round(rate(http_requests_total{job="cache"}[5m]), 0.25))',
    "topk(3, node_memory_MemAvailable_bytes)",
    'topk by (job) (2, rate(node_cpu_seconds_total{mode="user"}[5m]))',
    "bottomk(3, temperature_celsius)",
    'bottomk by (instance) (1, rate(node_cpu_seconds_total{mode="system"}[5m]))',
    "topk(0, temperature_celsius)",
    'topk(1000, temperature_celsius{job="api"})',
    "topk(2.9, node_memory_MemAvailable_bytes)",
    "bottomk(-1, temperature_celsius)",
    "quantile(0.5, temperature_celsius)",
    "quantile by (job) (0.9, rate(http_requests_total[5m]))",
    "quantile(0, temperature_celsius)",
    "quantile(1, temperature_celsius)",
    "quantile(-1, temperature_celsius)",
    "quantile(2, temperature_celsius)",
    "quantile without (cpu) (0.25, rate(node_cpu_seconds_total[5m]))",
    "max(sum by (job) (rate(http_requests_total[5m])))",
    "topk(2, node_memory_MemAvailable_bytes) by (job)",
    "sum(up) without (instance)",
    "max without () (up)",
    "count without (job, instance) (up)",
    "avg(count by (instance) (http_requests_total))",
    "sum by (job) (up) / count by (job) (up)",
    "sum(sum_over_time(queue_length[10m])) / sum(count_over_time(queue_length[10m]))",
    "topk(3, app_cache_entries)",
    'sum by (job) (app_cache_entries{shard=~"0[0-3].*"})',
    "count(app_cache_entries > 800)",
    "quantile by (instance) (0.9, app_cache_entries)",
  ]);

  add("arithmetic", [
    "temperature_celsius + 273.15",
    "node_memory_MemAvailable_bytes / 1024 / 1024",
    "queue_length % 7",
    "temperature_celsius % -7",
    "2 ^ (queue_length / 20)",
    "temperature_celsius ^ 2",
    "queue_length - 50",
    "100 * up",
    "1 / queue_length",
    "0 / (queue_length - queue_length)",
    "avg by (job, instance) (temperature_celsius) atan2 10",
    '10 atan2 rate(node_cpu_seconds_total{cpu="1"}[5m])',
    "1 + 2 * 3",
    "2 ^ 3 ^ 2",
    "-2 ^ 2",
    "10 % 3",
    "5 atan2 2",
    "1 / 0",
    "-1 / 0",
    "0 / 0",
    "time() - 3600",
    "-temperature_celsius",
    "-(-queue_length)",
    "+up",
    "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
    "http_requests_total - http_requests_total offset 5m",
    "rate(http_requests_total[5m]) * 60",
    "(node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) / node_memory_MemTotal_bytes * 100",
    'sum by (job, instance) (rate(http_requests_total{code="500"}[5m])) / sum by (job, instance) (rate(http_requests_total[5m]))',
    "rate(node_cpu_seconds_total[5m]) % rate(node_cpu_seconds_total[5m] offset 1m)",
    "temperature_celsius ^ temperature_celsius",
    "(node_memory_MemAvailable_bytes / 1e9) atan2 (node_memory_MemTotal_bytes / 1e9)",
  ]);

  add("comparison", [
    "temperature_celsius > 40",
    "queue_length <= 10",
    "up == 0",
    "up != 1",
    "temperature_celsius < -20",
    "queue_length >= 70",
    "temperature_celsius > bool 40",
    "up == bool 1",
    "queue_length != bool 0",
    "node_memory_MemAvailable_bytes > node_memory_MemTotal_bytes * 0.5",
    "node_memory_MemAvailable_bytes > bool node_memory_MemTotal_bytes * 0.5",
    "rate(http_requests_total[5m]) > rate(http_requests_total[5m] offset 5m)",
    "rate(http_requests_total[5m]) <= bool rate(http_requests_total[5m] offset 5m)",
    "1 < bool 2",
    "2 >= bool 2",
    "3 != bool 3",
    "time() > bool 1700005000",
    "50 < queue_length",
    "50 < bool queue_length",
    "sum by (job) (rate(http_requests_total[5m])) > 100",
    "(temperature_celsius > 0) < 30",
    "temperature_celsius > on(instance) group_left avg by (instance) (temperature_celsius)",
  ]);

  add("set operators", [
    "up and on(instance) (node_memory_MemAvailable_bytes > 5e9)",
    "temperature_celsius and temperature_celsius > 30",
    'sum(up{job="nope"}) or vector(0)',
    'temperature_celsius{sensor="1"} or temperature_celsius{sensor="2"}',
    'rate(http_requests_total{code="500"}[5m]) or rate(http_requests_total{code="404"}[5m])',
    'up unless up{job="api"}',
    "temperature_celsius unless on(instance) (up == 0)",
    'node_cpu_seconds_total{cpu="0"} unless ignoring(mode) node_cpu_seconds_total{cpu="0", mode="idle"}',
    "flapping_gauge or up",
    "flapping_gauge and on(job, instance) up",
    "up unless on(job) flapping_gauge",
    'vector(1) and on() up{instance="cache-0:9121"}',
    "(up or flapping_gauge) unless ignoring(__name__) node_memory_MemTotal_bytes",
  ]);

  add("vector matching", [
    "rate(http_requests_total[5m]) / ignoring(code) group_left sum without (code) (rate(http_requests_total[5m]))",
    "node_memory_MemAvailable_bytes * on(instance) group_left(version) build_info",
    "up * on(instance, job) group_right temperature_celsius",
    "temperature_celsius - on(instance) group_left avg by (instance) (temperature_celsius)",
    "rate(node_cpu_seconds_total[5m]) / on(instance, cpu) group_left sum by (instance, cpu) (rate(node_cpu_seconds_total[5m]))",
    "up * on() group_left count(up)",
    "sum by (job) (rate(http_requests_total[5m])) / on(job) group_right count by (job, instance) (up)",
    "node_memory_MemAvailable_bytes / ignoring(job) node_memory_MemTotal_bytes",
    "rate(node_cpu_seconds_total[5m]) * on(instance) group_left(version) build_info",
    "build_info * on(instance) group_right(version) node_memory_MemTotal_bytes",
    "temperature_celsius + ignoring(sensor) group_left node_memory_MemTotal_bytes / 1e9",
    "group by (job) (up) * on(job) group_left count by (job) (up)",
    "vector(1) or vector(2)",
    'up{job="api"} + on(instance) group_left() vector(1)',
    "up == bool on(instance) group_left node_memory_MemTotal_bytes",
    // One side empty: Prometheus returns nothing without checking the other side's match groups.
    "nonexistent_metric - ignoring(code) http_requests_total",
    "nonexistent_metric * on(job) group_left up",
    "(up == 2) - on(job) up",
  ]);

  add("subquery", [
    'max_over_time(rate(http_requests_total{job="api"}[5m])[30m:1m])',
    "avg_over_time(temperature_celsius[10m:30s])",
    `rate(http_requests_total{code="200", ${steadyRe}}[5m:30s])`,
    "min_over_time(sum by (job) (rate(http_requests_total[2m]))[20m:2m])",
    "max_over_time(deriv(node_memory_MemAvailable_bytes[10m])[30m:5m])",
    'quantile_over_time(0.9, temperature_celsius{job="api"}[15m:1m])',
    "count_over_time(up[10m:1m])",
    "sum_over_time(up[1h:10m])",
    'last_over_time(temperature_celsius{sensor="7"}[10m:20s])',
    "avg_over_time(up[10m:])",
    'stddev_over_time(queue_length{queue="q07"}[30m:2m])',
    "max_over_time(temperature_celsius[10m:1m] offset 30m)",
    { expr: 'max_over_time(avg_over_time(temperature_celsius{job="db"}[5m1s:30s])[20m:2m])', nested: true },
    'deriv(rate(node_cpu_seconds_total{mode="user", cpu="0"}[1m])[10m:20s])',
    'absent_over_time(up{job="nope"}[10m:1m])',
    'predict_linear(temperature_celsius{sensor="1"}[20m:1m], 300)',
    "min_over_time(up[10m:1m] offset -2m)",
    "changes(up[30m:2m])",
    { expr: "sum_over_time(max_over_time(up[3m1s:1m])[10m:2m])", nested: true },
    `increase(http_requests_total{code="200", method="GET", ${steadyRe}}[10m:1m])`,
  ]);

  add("offset and @", [
    "up offset 1h",
    "temperature_celsius offset -10m",
    "rate(http_requests_total[5m] offset 1h)",
    "http_requests_total offset 2h30m",
    "sum(up offset 90m)",
    `up @ ${at(5407)}`,
    `temperature_celsius @ ${at(7263)} offset 1m`,
    `rate(node_cpu_seconds_total[5m] @ ${at(9001)})`,
    "up @ start()",
    "up @ end()",
    "sum_over_time(up[10m] @ end())",
    'rate(http_requests_total{job="db"}[5m] @ start() offset 5m)',
    "up - up @ start()",
    "temperature_celsius - temperature_celsius offset 1h",
    `max_over_time(temperature_celsius[10m:1m] @ ${at(3601)})`,
    "avg_over_time(rate(http_requests_total[5m])[30m:1m] @ start())",
    `count_over_time(up[30m] @ ${at(10_801)} offset 10m)`,
    `sum(rate(http_requests_total[5m] @ ${at(6001)})) by (job)`,
    'rate(http_requests_total{code="500"}[10m] offset -10m)',
    `predict_linear(node_memory_MemAvailable_bytes[10m] offset 20m, 600)`,
  ]);

  add("staleness", staleness(ds, odd));

  add("exotic values", [
    "exotic_values",
    "abs(exotic_values)",
    "sgn(exotic_values)",
    "ceil(exotic_values)",
    "clamp(exotic_values, -1, 1)",
    "exotic_values > 0",
    "exotic_values == bool exotic_values",
    "exotic_values != exotic_values",
    "exotic_values * 2",
    'count_values("v", exotic_values)',
    { expr: "sort(exotic_values)", ordered: true },
    { expr: "sort_desc(exotic_values)", ordered: true },
    "max(exotic_values)",
    "min(exotic_values)",
    "count(exotic_values)",
    'sum(exotic_values{kind=~"huge|tiny"})',
    "max_over_time(exotic_values[2m])",
    "min_over_time(exotic_values[2m])",
    "last_over_time(exotic_values[2m])",
    "exotic_values[1m]",
    r`exotic_values{kind="quote\"and\\backslash"}`,
    r`exotic_values{kind=~".*\\\\.*"}`,
    'exotic_values{unit="°C ✓ \u{1F600}"}',
    'exotic_values{unit=~"°C.*"}',
    'exotic_values{unit=~".{6}"}',
    'count_values by (kind) ("kind", exotic_values)',
    "changes(exotic_values[5m])",
    "resets(exotic_values[5m])",
    "delta(exotic_values[3m])",
    "idelta(exotic_values[1m])",
    "exotic_values > bool 0",
  ]);

  add("literals and syntax", [
    '"foo"',
    "'single'",
    "`raw\\string`",
    '"tab\\there \\u00e9"',
    "0x1F + 1",
    "1e3",
    ".5 * 2",
    "Inf",
    "-Inf",
    "NaN",
    "inf + 1",
    "nan",
    "1e-3",
    "5e+2",
    "((up))",
    "-(-(1))",
    "up > 0 and up < 2",
    "1 - up unless up == 0",
    "up + up * 2 ^ 2",
    "-up ^ 2",
    "2 * 3 % 4",
    "up / 2 * 4",
    "up == bool 1 or vector(0)",
    "sum by (job) (up) > on(job) group_left count by (job) (up) / 2",
  ]);
  return out;
}

// Queries aimed at the moments a series goes stale, pauses or comes back, at times taken from the plan.
function staleness(ds: Dataset, odd: (ms: number) => number): Template[] {
  const out: Template[] = [];
  const pick = (f: (t: TargetPlan) => boolean) => ds.targets.find(f);
  const down = pick((t) => t.down !== undefined && t.restarts.includes(t.down.to));
  if (down?.down) {
    const i = `instance="${down.instance}"`;
    const start = ds.timeOf(down, down.down.from);
    const back = ds.timeOf(down, down.down.to);
    // Within the lookback of the last good scrape, but after the stale markers.
    const during = odd(start + 60_000);
    out.push(
      { expr: `node_memory_MemTotal_bytes{${i}}`, time: during },
      { expr: `up{${i}}`, time: during },
      { expr: `http_requests_total{${i}, handler="/"}`, time: during },
      { expr: `count_over_time(node_cpu_seconds_total{${i}, cpu="0"}[10m])`, time: during },
      { expr: `rate(http_requests_total{${i}, method="GET"}[10m])`, time: odd(back + 120_000) },
      { expr: `resets(http_requests_total{${i}, method="GET"}[15m])`, time: odd(back + 300_000) },
      { expr: `increase(http_request_duration_seconds_count{${i}}[15m])`, time: odd(back + 300_000) },
      { expr: `process_start_time_seconds{${i}}`, time: odd(back + 30_000) },
      { expr: `build_info{${i}}`, time: odd(back + 30_000) },
      { expr: `last_over_time(up{${i}}[5m])`, time: odd(back - 30_000) },
      {
        expr: `rate(http_requests_total{${i}, code="200"}[5m])`,
        range: { name: "around a restart", start: odd(start - 900_000), end: odd(start - 900_000) + 40 * 60, step: 20 },
      },
    );
  }
  const left = pick((t) => t.end < ds.slots);
  if (left) {
    const gone = ds.timeOf(left, left.end);
    out.push(
      { expr: `up{instance="${left.instance}"}`, time: odd(gone + 30_000) },
      { expr: `sum by (instance) (rate(node_cpu_seconds_total{instance="${left.instance}"}[5m]))`, time: odd(gone + 100_000) },
      { expr: `count_over_time(up{instance="${left.instance}"}[5m])`, time: odd(gone + 100_000) },
    );
  }
  const late = pick((t) => t.first > 0);
  if (late) {
    const joined = ds.timeOf(late, late.first);
    out.push(
      { expr: `rate(http_requests_total{instance="${late.instance}", method="POST"}[5m])`, time: odd(joined + 100_000) },
      { expr: `increase(node_cpu_seconds_total{instance="${late.instance}", mode="idle"}[10m])`, time: odd(joined + 200_000) },
      { expr: `up{instance="${late.instance}"}`, time: odd(joined - 2000) },
    );
  }
  const restarted = pick((t) => t.down === undefined && t.restarts.length > 0);
  if (restarted) {
    const at = ds.timeOf(restarted, restarted.restarts[0] as number);
    out.push(
      { expr: `rate(http_requests_total{instance="${restarted.instance}"}[5m])`, time: odd(at + 60_000) },
      { expr: `build_info{instance="${restarted.instance}"}`, time: odd(at + 1000) },
      { expr: `resets(disk_io_bytes_total{instance="${restarted.instance}"}[5m])`, time: odd(at + 60_000) },
    );
  }
  out.push(
    { expr: "flapping_gauge", range: { name: "flapping, fine steps", start: ds.options.startMs / 1000 + 1801, end: ds.options.startMs / 1000 + 4201, step: 16 } },
    { expr: 'temperature_celsius{sensor="7"}', range: { name: "sensor gap, fine steps", start: ds.options.startMs / 1000 + 4001, end: ds.options.startMs / 1000 + 7801, step: 30 } },
  );
  return out;
}
