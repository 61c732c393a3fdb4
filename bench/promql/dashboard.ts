// The dashboard the PromQL benchmark plays: the panels' queries, the time ranges a user picks,
// and the step Grafana derives from a range.

/** One panel query. */
export interface PanelQuery {
  /** Short name for the report table. */
  readonly name: string;
  readonly expr: string;
}

/** Panel queries over the generated data set (test/e2e/promql-differential/dataset.ts). */
export const PANEL_QUERIES: readonly PanelQuery[] = [
  { name: "rate by job", expr: "sum by (job) (rate(http_requests_total[5m]))" },
  { name: "p99 latency", expr: "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))" },
  { name: "p90 by handler, regex", expr: 'histogram_quantile(0.9, sum by (le, handler) (rate(http_request_duration_seconds_bucket{job=~"api|cache"}[5m])))' },
  { name: "topk cpu", expr: 'topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))' },
  {
    name: "5xx ratio, regex",
    expr: 'sum by (job) (rate(http_requests_total{code=~"5..", handler=~"/api.*|/login"}[5m])) / sum by (job) (rate(http_requests_total{handler=~"/api.*|/login"}[5m]))',
  },
  { name: "memory used %", expr: "100 * (1 - avg by (job) (node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes))" },
];

// Grafana's kbn.roundInterval: an interval (ms) below the first bound becomes the second value.
const ROUNDING: readonly (readonly [number, number])[] = [
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12_500, 10_000],
  [17_500, 15_000],
  [25_000, 20_000],
  [45_000, 30_000],
  [90_000, 60_000],
  [210_000, 120_000],
  [450_000, 300_000],
  [750_000, 600_000],
  [1_050_000, 900_000],
  [1_500_000, 1_200_000],
  [2_700_000, 1_800_000],
  [5_400_000, 3_600_000],
  [9_000_000, 7_200_000],
  [16_200_000, 10_800_000],
  [27_000_000, 21_600_000],
];

/**
 * The step (ms) Grafana uses for a panel `rangeMs` wide showing about `points` points, never
 * below the scrape interval `minMs`: range/points rounded as Grafana rounds intervals.
 */
export function grafanaStep(rangeMs: number, points: number, minMs: number): number {
  const raw = rangeMs / points;
  const rounded = ROUNDING.find(([below]) => raw < below)?.[1] ?? 43_200_000;
  return Math.max(rounded, minMs);
}

/** A query_range window: start and end aligned down to the step, as Grafana aligns them (ms). */
export interface Window {
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
}

/** The windows "last `hours`" ending at `endMs`, for each of `hours` that fits in `availableHours`. */
export function dashboardWindows(endMs: number, hours: readonly number[], availableHours: number, points: number, minStepMs: number): Window[] {
  return hours
    .filter((h) => h <= availableHours)
    .map((h) => {
      const rangeMs = h * 3_600_000;
      const stepMs = grafanaStep(rangeMs, points, minStepMs);
      const end = Math.floor(endMs / stepMs) * stepMs;
      const start = Math.floor((endMs - rangeMs) / stepMs) * stepMs;
      return { label: `${h}h`, startMs: start, endMs: end, stepMs };
    });
}
