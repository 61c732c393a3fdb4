import type { Querier } from "../../storage/index.js";
import { positionString, QueryCanceledError, QueryTimeoutError, TooManySamplesError } from "../errors.js";
import type { PositionRange } from "../ast.js";
import type { Clock } from "../../runtime/index.js";

/** Annotations collected while a query runs (Prometheus's warnings and infos), deduplicated. */
export class Annotations {
  readonly warnings = new Set<string>();
  readonly infos = new Set<string>();
}

/** Everything one query's evaluation shares across nested evaluators (subqueries). */
export class EvalContext {
  readonly querier: Querier;
  readonly query: string;
  readonly lookbackDelta: number;
  readonly maxSamples: number;
  readonly defaultEvalInterval: number;
  readonly delayedNameRemoval: boolean;
  /** The query's own start and end, for `@ start()` / `@ end()`. */
  readonly queryStart: number;
  readonly queryEnd: number;
  /** The range query's step (0 for an instant query), for `step()`. */
  readonly queryStep: number;
  readonly annotations = new Annotations();
  readonly #clock: Clock;
  readonly #deadline: number;
  readonly #signal: AbortSignal | undefined;
  #currentSamples = 0;
  #peakSamples = 0;
  #totalSamples = 0;
  #checks = 0;
  #lastYield = performance.now();

  constructor(init: {
    querier: Querier;
    query: string;
    lookbackDelta: number;
    maxSamples: number;
    defaultEvalInterval: number;
    delayedNameRemoval: boolean;
    queryStart: number;
    queryEnd: number;
    queryStep: number;
    clock: Clock;
    deadline: number;
    signal: AbortSignal | undefined;
  }) {
    this.querier = init.querier;
    this.query = init.query;
    this.lookbackDelta = init.lookbackDelta;
    this.maxSamples = init.maxSamples;
    this.defaultEvalInterval = init.defaultEvalInterval;
    this.delayedNameRemoval = init.delayedNameRemoval;
    this.queryStart = init.queryStart;
    this.queryEnd = init.queryEnd;
    this.queryStep = init.queryStep;
    this.#clock = init.clock;
    this.#deadline = init.deadline;
    this.#signal = init.signal;
  }

  /** Throws when the query is past its deadline or was cancelled; cheap enough to call per series. */
  check(where = "query execution"): void {
    if ((++this.#checks & 63) !== 0) return;
    this.checkNow(where);
  }

  /**
   * Whether the evaluation has run long enough since it last gave the event loop a turn (about
   * 10 ms). Loops over series call it and then `await ctx.pause()`, so scrapes, health checks and
   * client disconnects are served while a long query runs.
   */
  shouldPause(): boolean {
    if ((++this.#checks & 255) !== 0) return false;
    return performance.now() - this.#lastYield > 10;
  }

  /** Yields to the event loop, then checks for cancellation and timeout. */
  async pause(where = "query execution"): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#lastYield = performance.now();
    this.checkNow(where);
  }

  /** Like check(), but always looks at the clock. */
  checkNow(where = "query execution"): void {
    if (this.#signal?.aborted === true) throw new QueryCanceledError(where);
    if (this.#clock.now() > this.#deadline) throw new QueryTimeoutError(where);
  }

  /** Accounts for `n` samples loaded or produced; throws TooManySamplesError past the limit. */
  addSamples(n: number): void {
    this.#currentSamples += n;
    this.#totalSamples += n;
    if (this.#currentSamples > this.#peakSamples) this.#peakSamples = this.#currentSamples;
    if (this.#currentSamples > this.maxSamples) throw new TooManySamplesError();
  }

  /** Releases `n` samples from the running count (a buffer that is no longer held). */
  releaseSamples(n: number): void {
    this.#currentSamples -= n;
  }

  get peakSamples(): number {
    return this.#peakSamples;
  }

  get totalSamples(): number {
    return this.#totalSamples;
  }

  /** A warning annotation with Prometheus 3's ` (line:col)` position suffix. */
  warn(message: string, pos?: PositionRange): void {
    this.annotations.warnings.add(this.#withPosition(message, pos));
  }

  /** An info annotation with Prometheus 3's ` (line:col)` position suffix. */
  info(message: string, pos?: PositionRange): void {
    this.annotations.infos.add(this.#withPosition(message, pos));
  }

  #withPosition(message: string, pos: PositionRange | undefined): string {
    return pos === undefined ? message : `${message} (${positionString(this.query, pos.start)})`;
  }
}
