/**
 * Runs a parsed test script against a PromQL engine and an in-memory storage, command by command,
 * as upstream's `promqltest` does, and records an outcome per eval instead of stopping at the
 * first failure.
 */
import { MemoryStorage, staleNaN, type Queryable } from "../../storage/index.js";
import { PromQLEngine, PromQLParseError } from "../index.js";
import type { PromQLEngineOptions, QueryResult, QueryValue } from "../index.js";
import { checkAnnotations, checkFailure, checkMatrixSorted, compareResult } from "./compare.js";
import { parseScript } from "./parse-script.js";
import { analyzeQuery, withAtModifier } from "./query-analysis.js";
import { expectsFailure, expectsOrdered, isHistogram, isStale } from "./script.js";
import type { EvalCommand, LoadCommand, Script } from "./script.js";
import { LoadedFeatures, isUnsupportedFeatureMessage, skipReasons } from "./skips.js";
import type { SkipReason } from "./skips.js";

/** The part of a PromQL engine the runner uses. Times are ms; errors are thrown (rejected). */
export interface QueryEngine {
  instantQuery(queryable: Queryable, query: string, t: number): Promise<QueryResult>;
  rangeQuery(queryable: Queryable, query: string, start: number, end: number, step: number): Promise<QueryResult>;
}

/**
 * The engine settings upstream's test scripts assume: lookback 5m, at most 10,000 samples, a 1m
 * default subquery step and delayed `__name__` removal. The timeout is shorter than upstream's
 * 100 s so that a stuck query cannot stall the suite.
 */
export const TEST_ENGINE_OPTIONS: PromQLEngineOptions = {
  lookbackDelta: 5 * 60_000,
  maxSamples: 10_000,
  timeout: 10_000,
  defaultEvalInterval: 60_000,
  delayedNameRemoval: true,
};

/** Options of `runScript`. */
export interface RunOptions {
  /** Name for the report (usually the file name). */
  readonly name?: string;
  /** The engine to test; default a PromQLEngine with TEST_ENGINE_OPTIONS. */
  readonly engine?: QueryEngine;
  /**
   * Also run upstream's extra checks on instant evals that passed: the query with `@ <t>` on every
   * selector at several times, and the query as a range query around t. Default true. Their
   * failures are reported apart from the eval's own outcome.
   */
  readonly extraChecks?: boolean;
}

/** What became of one eval. */
export interface EvalOutcome {
  readonly line: number;
  readonly query: string;
  readonly status: "passed" | "failed" | "skipped";
  /** Why it failed, or the skip reasons in words. */
  readonly reason?: string;
  /** Every reason to skip it; empty unless skipped. */
  readonly skipReasons: readonly SkipReason[];
  /** Upstream's extra checks, for instant evals that passed when they are enabled. */
  readonly extra?: ExtraCheckOutcome;
}

/** The outcome of the extra checks of one instant eval. */
export interface ExtraCheckOutcome {
  /** `not-run` when every check was excluded (e.g. `time()` in the query, or `expect string`). */
  readonly status: "passed" | "failed" | "not-run";
  readonly reason?: string;
}

/** The outcomes of one script. */
export interface ScriptReport {
  readonly name: string;
  readonly outcomes: readonly EvalOutcome[];
  /** Problems outside evals: a script that does not parse, samples the storage refused. */
  readonly errors: readonly string[];
}

/** Parses (if needed) and runs a script; never throws for a script or engine problem. */
export async function runScript(script: Script | string, options: RunOptions = {}): Promise<ScriptReport> {
  const name = options.name ?? "script";
  let parsed: Script;
  try {
    parsed = typeof script === "string" ? parseScript(script) : script;
  } catch (err) {
    return { name, outcomes: [], errors: [`parse: ${messageOf(err)}`] };
  }
  const engine = options.engine ?? new PromQLEngine(TEST_ENGINE_OPTIONS);
  const run = new ScriptRun(engine, options.extraChecks ?? true);
  try {
    for (const cmd of parsed.commands) {
      if (cmd.kind === "clear") await run.clear();
      else if (cmd.kind === "load") await run.load(cmd);
      else run.outcomes.push(await run.eval(cmd));
    }
  } finally {
    await run.close();
  }
  return { name, outcomes: run.outcomes, errors: run.errors };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Upstream does not re-run queries that read the query's own range as a range query.
const QUERY_CONTEXT_FUNCTIONS = /(start|end|range|step)\(\)/;

// A check's result: a failure reason, or the value the query returned (none for an expected error).
type Check = { readonly failure: string; readonly error?: unknown } | { readonly failure?: undefined; readonly value: QueryValue | undefined };

class ScriptRun {
  readonly outcomes: EvalOutcome[] = [];
  readonly errors: string[] = [];
  readonly #engine: QueryEngine;
  readonly #extraChecks: boolean;
  #storage = new MemoryStorage();
  #loaded = new LoadedFeatures();

  constructor(engine: QueryEngine, extraChecks: boolean) {
    this.#engine = engine;
    this.#extraChecks = extraChecks;
  }

  async clear(): Promise<void> {
    await this.#storage.close();
    this.#storage = new MemoryStorage();
    this.#loaded = new LoadedFeatures();
  }

  async close(): Promise<void> {
    await this.#storage.close();
  }

  async load(cmd: LoadCommand): Promise<void> {
    this.#loaded.add(cmd);
    const app = this.#storage.appender();
    for (const s of cmd.series) {
      let ref = 0;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        // Native histogram samples cannot be stored; evals that could read them are skipped.
        if (v === undefined || isHistogram(v)) continue;
        try {
          ref = app.append(ref, s.labels, i * cmd.intervalMs, isStale(v) ? staleNaN() : v);
        } catch (err) {
          this.errors.push(`line ${s.line}: sample at ${i * cmd.intervalMs} refused: ${messageOf(err)}`);
        }
      }
    }
    await app.commit();
  }

  async eval(ev: EvalCommand): Promise<EvalOutcome> {
    const base = { line: ev.line, query: ev.query };
    const reasons = skipReasons(ev, analyzeQuery(ev.query), this.#loaded);
    if (reasons.length > 0) return { ...base, status: "skipped", reason: reasons.join(", "), skipReasons: reasons };
    const main = ev.range ? await this.#rangeEval(ev) : await this.#instant(ev, ev.query, ev.evalTime, false);
    if (main.failure !== undefined) {
      if (main.error instanceof PromQLParseError && isUnsupportedFeatureMessage(main.failure)) {
        return { ...base, status: "skipped", reason: `unsupported feature: ${main.failure}`, skipReasons: ["unsupported-feature-error"] };
      }
      return { ...base, status: "failed", reason: main.failure, skipReasons: [] };
    }
    if (ev.range || !this.#extraChecks) return { ...base, status: "passed", skipReasons: [] };
    return { ...base, status: "passed", skipReasons: [], extra: await this.#extra(ev, main.value) };
  }

  async #rangeEval(ev: EvalCommand): Promise<Check> {
    let res: QueryResult;
    try {
      res = await this.#engine.rangeQuery(this.#storage, ev.query, ev.start, ev.end, ev.step);
    } catch (err) {
      return this.#queryError(ev, err);
    }
    return this.#judge(ev, res, false);
  }

  async #instant(ev: EvalCommand, query: string, t: number, rewritten: boolean): Promise<Check> {
    let res: QueryResult;
    try {
      res = await this.#engine.instantQuery(this.#storage, query, t);
    } catch (err) {
      return this.#queryError(ev, err);
    }
    return this.#judge(ev, res, rewritten);
  }

  #queryError(ev: EvalCommand, err: unknown): Check {
    const message = messageOf(err);
    if (!expectsFailure(ev)) return { failure: `error evaluating query: ${message}`, error: err };
    const failure = checkFailure(ev, message);
    return failure === undefined ? { value: undefined } : { failure, error: err };
  }

  #judge(ev: EvalCommand, res: QueryResult, rewritten: boolean): Check {
    if (expectsFailure(ev)) return { failure: "expected error evaluating query but got none" };
    const annotations = checkAnnotations(ev, res.warnings, res.infos, { ignorePositions: rewritten });
    if (annotations !== undefined) return { failure: annotations };
    const mismatch = compareResult(ev, res.value);
    return mismatch === undefined ? { value: res.value } : { failure: mismatch };
  }

  // Upstream's extra checks on an instant eval, in upstream's order.
  async #extra(ev: EvalCommand, value: QueryValue | undefined): Promise<ExtraCheckOutcome> {
    let ran = false;
    const range = await this.#rangeMode(ev, ev.query, ev.evalTime, value);
    if (range !== "excluded") {
      ran = true;
      if (range !== undefined) return { status: "failed", reason: `range mode: ${range}` };
    }
    const pinned = withAtModifier(ev.query, ev.evalTime);
    if (pinned !== undefined) {
      const t = ev.evalTime;
      for (const at of t === 0 ? [-1000, 0, 1000] : [-10 * t, 0, t / 5, t, 10 * t]) {
        ran = true;
        const check = await this.#instant(ev, pinned, at, true);
        if (check.failure !== undefined) return { status: "failed", reason: `${pinned} at ${at}: ${check.failure}` };
        const r = await this.#rangeMode(ev, pinned, at, check.value);
        if (r !== undefined && r !== "excluded") return { status: "failed", reason: `${pinned} at ${at} in range mode: ${r}` };
      }
    }
    return { status: ran ? "passed" : "not-run" };
  }

  // The query as a range query from t-1m to t+1m; its point at t must be the instant result.
  async #rangeMode(ev: EvalCommand, query: string, t: number, instant: QueryValue | undefined): Promise<string | undefined | "excluded"> {
    if (instant === undefined || ev.excludeFromRangeQuery || QUERY_CONTEXT_FUNCTIONS.test(query)) return "excluded";
    let res: QueryResult;
    try {
      res = await this.#engine.rangeQuery(this.#storage, query, t - 60_000, t + 60_000, 60_000);
    } catch (err) {
      return `error evaluating query in range mode: ${messageOf(err)}`;
    }
    // Range results are always sorted by labels, so an ordered expectation cannot be checked.
    if (expectsOrdered(ev)) return undefined;
    if (res.value.type !== "matrix") return `range query returned a ${res.value.type}, not a matrix`;
    const unsorted = checkMatrixSorted(res.value);
    if (unsorted !== undefined) return unsorted;
    const samples = [];
    for (const s of res.value.series) {
      const i = s.ts.indexOf(t);
      if (i >= 0) samples.push({ labels: s.labels, t, v: s.vs[i] as number });
    }
    if (instant.type === "scalar") {
      const first = samples[0];
      if (first === undefined) return "expected a scalar point at the eval time, but the range query has none";
      return compareResult(ev, { type: "scalar", t, v: first.v });
    }
    return compareResult(ev, { type: "vector", samples });
  }
}
