import type { EvalSeries } from "./types.js";

/**
 * Walks a matrix step by step without building per-step vectors: at each step time it lists the
 * indexes (into `series`) of the series that have a point there, and those points' values. The
 * arrays handed out are reused from step to step.
 */
export class Stepper {
  readonly #series: readonly EvalSeries[];
  readonly #cursors: Int32Array;
  /** Indexes of the series present at the current step, `count` of them. */
  readonly index: Int32Array;
  /** Their values at the current step. */
  readonly values: Float64Array;
  count = 0;

  constructor(series: readonly EvalSeries[]) {
    this.#series = series;
    this.#cursors = new Int32Array(series.length);
    this.index = new Int32Array(series.length);
    this.values = new Float64Array(series.length);
  }

  /** Moves to step time `t` (times must not decrease) and fills index/values/count. */
  advance(t: number): void {
    let n = 0;
    const series = this.#series;
    const cursors = this.#cursors;
    for (let s = 0; s < series.length; s++) {
      const ser = series[s] as EvalSeries;
      const ts = ser.ts;
      let c = cursors[s] as number;
      while (c < ts.length && (ts[c] as number) < t) c++;
      cursors[s] = c;
      if (c < ts.length && ts[c] === t) {
        this.index[n] = s;
        this.values[n] = ser.vs[c] as number;
        n++;
      }
    }
    this.count = n;
  }
}
