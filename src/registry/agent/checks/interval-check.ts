import type { TimerHandle } from "./scheduler.js";
import { StatusHandler, type Thresholds } from "./status-handler.js";
import type { CheckRunner, CheckRunnerDeps, CheckStatus, CheckType, CheckUpdate } from "./types.js";

/**
 * One run of a check. It must settle soon after `signal` aborts (the run's timeout or `stop`)
 * and must never reject: every failure is a critical result whose output says why.
 */
export type Probe = (signal: AbortSignal) => Promise<CheckUpdate>;

/** Timing and identity of an interval check, already defaulted and clamped. */
export interface IntervalSettings {
  readonly type: CheckType;
  readonly checkID: string;
  readonly initialStatus: CheckStatus;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly thresholds: Thresholds;
}

/**
 * Runs a probe every interval, as Consul's HTTP/TCP/gRPC checks do: the first run comes after a
 * random stagger within the interval so that checks registered together do not fire together,
 * and each next run is scheduled an interval after the previous one finished, so runs of one
 * check never overlap.
 */
export class IntervalCheck implements CheckRunner {
  readonly type: CheckType;
  readonly #settings: IntervalSettings;
  readonly #probe: Probe;
  readonly #deps: CheckRunnerDeps;
  #handler = new StatusHandler();
  #running = false;
  #next: TimerHandle | undefined;
  #timeout: TimerHandle | undefined;
  #inFlight: AbortController | undefined;

  constructor(settings: IntervalSettings, probe: Probe, deps: CheckRunnerDeps) {
    this.type = settings.type;
    this.#settings = settings;
    this.#probe = probe;
    this.#deps = deps;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    // A restarted check starts counting afresh, as a newly registered one would.
    this.#handler = new StatusHandler(this.#settings.thresholds);
    this.#report({ status: this.#settings.initialStatus, output: "" });
    const random = this.#deps.random ?? Math.random;
    const stagger = Math.floor(random() * this.#settings.intervalMs);
    this.#next = this.#deps.scheduler.setTimeout(() => this.#run(), stagger);
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    const { scheduler } = this.#deps;
    if (this.#next !== undefined) scheduler.clearTimeout(this.#next);
    if (this.#timeout !== undefined) scheduler.clearTimeout(this.#timeout);
    this.#next = undefined;
    this.#timeout = undefined;
    const inFlight = this.#inFlight;
    this.#inFlight = undefined;
    inFlight?.abort(new Error("check stopped"));
  }

  #run(): void {
    const { scheduler, clock, logger } = this.#deps;
    const { checkID, intervalMs, timeoutMs } = this.#settings;
    this.#next = undefined;
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#timeout = scheduler.setTimeout(() => controller.abort(new Error("check timed out")), timeoutMs);
    const startedMs = clock.now();
    const settle = (result: CheckUpdate): void => {
      // After stop (or a restart) this run's result belongs to nobody.
      if (this.#inFlight !== controller) return;
      this.#inFlight = undefined;
      if (this.#timeout !== undefined) scheduler.clearTimeout(this.#timeout);
      this.#timeout = undefined;
      this.#next = scheduler.setTimeout(() => this.#run(), intervalMs);
      logger.debug({ check: checkID, status: result.status, durationMs: clock.now() - startedMs }, "check ran");
      const update = this.#handler.observe(result.status, result.output);
      if (update === undefined) {
        logger.debug({ check: checkID, status: result.status }, "check result below its threshold, not reported");
        return;
      }
      this.#report(update);
    };
    this.#probe(controller.signal).then(settle, (err: unknown) => {
      settle({ status: "critical", output: err instanceof Error ? err.message : String(err) });
    });
  }

  #report(update: CheckUpdate): void {
    try {
      this.#deps.onUpdate(update);
    } catch (err) {
      this.#deps.logger.error({ check: this.#settings.checkID, err }, "check update handler failed");
    }
  }
}
