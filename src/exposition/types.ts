import type { Labels } from "../model/index.js";

/** Metric family types of Prometheus text 0.0.4 and OpenMetrics 1.0. */
export type MetricType =
  | "counter"
  | "gauge"
  | "histogram"
  | "gaugehistogram"
  | "summary"
  | "info"
  | "stateset"
  | "untyped"
  | "unknown";

/** An exemplar attached to a sample (OpenMetrics). */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, when the exposition gave one. */
  readonly timestampMs?: number;
}

/** One sample line: its full series labels (including `__name__`), value and optional timestamp. */
export interface Sample {
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds since the epoch, when the exposition gave one. */
  readonly timestampMs?: number;
  /** OpenMetrics `_created` and similar are ordinary samples; the exemplar travels with its line. */
  readonly exemplar?: Exemplar;
}

/** A metric family: metadata and its samples in exposition order. */
export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help?: string;
  readonly unit?: string;
  readonly samples: readonly Sample[];
}

/** The exposition formats Meridian reads and writes. */
export type Format = "prometheus-text-0.0.4" | "openmetrics-1.0.0";
