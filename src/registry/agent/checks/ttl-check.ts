import { outputMaxSize } from "./output.js";
import type { TimerHandle } from "./scheduler.js";
import type { CheckDefinition, CheckRunner, CheckRunnerDeps, CheckStatus } from "./types.js";

/**
 * A check whose status the service itself pushes (`/v1/agent/check/pass|warn|fail|update`);
 * when no update arrives within the TTL the check turns critical. Thresholds do not apply, as in
 * Consul: each push is the service's own verdict.
 */
export class TtlCheck implements CheckRunner {
  readonly type = "ttl" as const;
  readonly #ttlMs: number;
  readonly #initialStatus: CheckStatus;
  readonly #maxBytes: number;
  readonly #checkID: string;
  readonly #deps: CheckRunnerDeps;
  #running = false;
  #timer: TimerHandle | undefined;
  #lastOutput = "";

  constructor(def: CheckDefinition, deps: CheckRunnerDeps) {
    this.#ttlMs = def.TTLMs ?? 0;
    this.#initialStatus = def.Status ?? "critical";
    this.#maxBytes = outputMaxSize(def.OutputMaxSize);
    this.#checkID = def.CheckID;
    this.#deps = deps;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastOutput = "";
    this.#report(this.#initialStatus, "");
    this.#arm();
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    if (this.#timer !== undefined) this.#deps.scheduler.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Marks the check passing and renews the TTL (`/v1/agent/check/pass`). */
  pass(note?: string): string {
    return this.update("passing", note ?? "");
  }

  /** Marks the check warning and renews the TTL (`/v1/agent/check/warn`). */
  warn(note?: string): string {
    return this.update("warning", note ?? "");
  }

  /** Marks the check critical and renews the TTL (`/v1/agent/check/fail`). */
  fail(note?: string): string {
    return this.update("critical", note ?? "");
  }

  /**
   * Sets status and output and renews the TTL, even after it expired (`/v1/agent/check/update`).
   * Output beyond OutputMaxSize bytes is cut, saying so; the output as recorded is returned.
   * Ignored unless running, since a stopped check must never report again.
   */
  update(status: CheckStatus, output: string): string {
    const recorded = truncate(output, this.#maxBytes);
    if (!this.#running) return recorded;
    this.#lastOutput = recorded;
    this.#report(status, recorded);
    this.#arm();
    return recorded;
  }

  #arm(): void {
    const { scheduler } = this.#deps;
    if (this.#timer !== undefined) scheduler.clearTimeout(this.#timer);
    this.#timer = scheduler.setTimeout(() => this.#expire(), this.#ttlMs);
  }

  #expire(): void {
    this.#timer = undefined;
    this.#deps.logger.warn({ check: this.#checkID }, "check missed its ttl, now critical");
    // Keeping the last output tells the operator what the service said before it went silent.
    const output =
      this.#lastOutput === "" ? "TTL expired" : `TTL expired (last output before timeout follows): ${this.#lastOutput}`;
    this.#report("critical", output);
  }

  #report(status: CheckStatus, output: string): void {
    try {
      this.#deps.onUpdate({ status, output });
    } catch (err) {
      this.#deps.logger.error({ check: this.#checkID, err }, "check update handler failed");
    }
  }
}

function truncate(output: string, maxBytes: number): string {
  const bytes = Buffer.from(output, "utf8");
  if (bytes.length <= maxBytes) return output;
  return `${bytes.subarray(0, maxBytes).toString("utf8")} ... (captured ${maxBytes} of ${bytes.length} bytes)`;
}
