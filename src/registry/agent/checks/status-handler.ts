import type { CheckStatus, CheckUpdate } from "./types.js";

/** Consecutive-result thresholds of a check, as Consul's check definition names them. */
export interface Thresholds {
  /** Consecutive non-critical results needed before passing or warning is reported; 0 = at once. */
  readonly successBeforePassing?: number;
  /** Consecutive critical results before warning is reported; defaults to `failuresBeforeCritical`. */
  readonly failuresBeforeWarning?: number;
  /** Consecutive critical results before critical is reported; 0 = at once. */
  readonly failuresBeforeCritical?: number;
}

/**
 * Applies success/failure thresholds to raw probe results, as Consul's StatusHandler does:
 * a warning result counts as a success (a 429 means the service is up), and the counters start
 * at their thresholds so the very first result is reported without waiting.
 */
export class StatusHandler {
  readonly #successBeforePassing: number;
  readonly #failuresBeforeWarning: number;
  readonly #failuresBeforeCritical: number;
  #successes: number;
  #failures: number;

  constructor(thresholds: Thresholds = {}) {
    this.#successBeforePassing = thresholds.successBeforePassing ?? 0;
    this.#failuresBeforeCritical = thresholds.failuresBeforeCritical ?? 0;
    this.#failuresBeforeWarning = thresholds.failuresBeforeWarning || this.#failuresBeforeCritical;
    this.#successes = this.#successBeforePassing;
    this.#failures = this.#failuresBeforeCritical;
  }

  /** Records one probe result; returns the update to report, or undefined while below threshold. */
  observe(status: CheckStatus, output: string): CheckUpdate | undefined {
    if (status !== "critical") {
      this.#successes++;
      this.#failures = 0;
      return this.#successes >= this.#successBeforePassing ? { status, output } : undefined;
    }
    this.#failures++;
    this.#successes = 0;
    if (this.#failures >= this.#failuresBeforeCritical) return { status: "critical", output };
    if (this.#failures >= this.#failuresBeforeWarning) return { status: "warning", output };
    return undefined;
  }
}
