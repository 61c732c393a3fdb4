// Requests both servers must refuse the same way (HTTP status and errorType; the wording of the
// message may differ). Left out because Prometheus 3 accepts what 2.42 refuses: durations as
// numbers (`x[300]`, 3.0 #15111), duration arithmetic (`x[5m+1m]`, 3.x), underscores in numbers
// (#12821), UTF-8 label names in label_replace/count_values and quoted names (`{"a.b"="x"}`,
// #15974), NaN as a topk parameter (3 fails, 2.42 returns nothing; #16725).
import type { QueryTimes } from "./timing.js";

/** Why a request is refused. */
export type BadCategory = "syntax" | "type" | "execution" | "too many samples" | "api parameters";

/** One refused request. */
export interface BadRequest {
  readonly name: string;
  readonly category: BadCategory;
  readonly path: "/api/v1/query" | "/api/v1/query_range";
  readonly params: Readonly<Record<string, string>>;
}

const SYNTAX = [
  "sum(",
  "rate(up[5m]",
  'up{job="api"',
  "up[5m",
  "1 +",
  "up @",
  "foo bar",
  'up{job=~"("}',
  "rate(up[5x])",
  "up offset",
  ")",
  'up{__name__="up"}',
  '{job=~".*"}',
  "{}",
  "sum by (job)",
  '"unterminated',
  "up[5m:1m:1m]",
  "up[-5m]",
  "up @ 1e20",
  "up offset 5m offset 1m",
  "up[5m] @ start() @ end()",
  "",
];

const TYPE = [
  "rate(up)",
  "sum(up[5m])",
  "up + up[5m]",
  'abs("foo")',
  "scalar(up[5m])",
  "histogram_quantile(up, up)",
  "topk(up, up)",
  "count_values(1, up)",
  'quantile("a", up)',
  'label_replace(up, "a", "b", "c")',
  "vector(up)",
  "time(1)",
  "rate(up[5m])[5m]",
  "up == up[5m]",
  "1 == 1",
  "up and 1",
  "nonexistent_function(up)",
  "sum without (job) (1)",
  '-"foo"',
  "absent(up[5m])",
  '"foo" + 1',
  "up > bool",
  "up * on(job) group_left(instance) 1",
];

const EXECUTION = [
  'label_replace(up, "instance", "x", "", "")',
  "http_requests_total + on(job) up",
  "http_requests_total * on(instance) up",
  "up * on(job) group_left node_memory_MemTotal_bytes",
  '-{__name__=~"node_memory_.*"}',
  'label_replace(up, "foo", "$1", "job", "(")',
  'rate({__name__=~"node_memory_.*"}[5m])',
];

// With --query.max-samples at MAX_SAMPLES these hold about twice as many samples at once or more
// (every series over the whole data). The middle one passes: Prometheus counts a range
// function's input one series at a time, so its peak stays low, and Meridian must not refuse it
// either. last_over_time keeps the metric name, so no duplicate-labelset error comes first.
const TOO_MANY = ['{__name__=~".+"}[3h]', 'last_over_time({__name__=~".+"}[3h])', 'last_over_time({__name__=~".+"}[3h:10s])'];

/** The most samples a query may load, on both servers. */
export const MAX_SAMPLES = 1_000_000;

/** Builds the refused requests: each bad expression as an instant and as a range query, and bad parameters. */
export function badRequests(times: QueryTimes): BadRequest[] {
  const t = times.instants[0] as number;
  const w = times.ranges[0];
  if (w === undefined) throw new Error("no range window");
  const range = { start: String(w.start), end: String(w.end), step: String(w.step) };
  const out: BadRequest[] = [];
  const both = (category: BadCategory, exprs: readonly string[], time = t) => {
    for (const query of exprs) {
      out.push({ name: `instant ${JSON.stringify(query)}`, category, path: "/api/v1/query", params: { query, time: String(time) } });
      out.push({ name: `range ${JSON.stringify(query)}`, category, path: "/api/v1/query_range", params: { query, ...range } });
    }
  };
  both("syntax", SYNTAX);
  both("type", TYPE);
  both("execution", EXECUTION);
  both("too many samples", TOO_MANY, times.t0 + 10_801);

  const api = (name: string, path: BadRequest["path"], params: Record<string, string>) => out.push({ name, category: "api parameters", path, params });
  api("instant without query", "/api/v1/query", { time: String(t) });
  api("instant with a bad time", "/api/v1/query", { query: "up", time: "yesterday" });
  api("range without query", "/api/v1/query_range", range);
  api("range without step", "/api/v1/query_range", { query: "up", start: range.start, end: range.end });
  api("range with step 0", "/api/v1/query_range", { query: "up", ...range, step: "0" });
  api("range with a negative step", "/api/v1/query_range", { query: "up", ...range, step: "-60" });
  api("range with end before start", "/api/v1/query_range", { query: "up", start: range.end, end: range.start, step: "60" });
  api("range with a bad start", "/api/v1/query_range", { query: "up", ...range, start: "abc" });
  // More than 11,000 points per series.
  api("range of ten years at 10 s", "/api/v1/query_range", { query: "up", start: String(w.start - 10 * 365 * 86400), end: range.end, step: "10" });
  api("range of 4 h at 1 s", "/api/v1/query_range", { query: "up", start: range.start, end: String(w.start + 4 * 3600), step: "1" });
  out.push({
    name: "every series for 3 h at 10 s",
    category: "too many samples",
    path: "/api/v1/query_range",
    params: { query: '{__name__=~".+"}', start: String(times.t0 + 7), end: String(times.t0 + 7 + 3 * 3600), step: "10" },
  });
  api("range query of a range vector", "/api/v1/query_range", { query: "up[5m]", ...range });
  api("range query of a string", "/api/v1/query_range", { query: '"foo"', ...range });
  api("instant with a bad timeout", "/api/v1/query", { query: "up", time: String(t), timeout: "soon" });
  return out;
}
