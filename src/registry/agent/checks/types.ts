import type { Clock, Logger } from "../../../runtime/index.js";
import type { Scheduler } from "./scheduler.js";

/** Status a check can report; `maintenance` is the agent's business, never a runner's. */
export type CheckStatus = "passing" | "warning" | "critical";

/** A check definition after decoding (Consul field names; durations already parsed to ms). */
export interface CheckDefinition {
  CheckID: string;
  Name: string;
  ServiceID?: string;
  Notes?: string;
  /** Initial status, reported once at start; Consul's default is critical. */
  Status?: CheckStatus;
  IntervalMs?: number;
  /** Bound of every HTTP, TCP and gRPC run; 10 s when absent or not positive. */
  TimeoutMs?: number;
  TTLMs?: number;
  HTTP?: string;
  Header?: Record<string, string[]>;
  Method?: string;
  Body?: string;
  DisableRedirects?: boolean;
  TLSSkipVerify?: boolean;
  TLSServerName?: string;
  TCP?: string;
  TCPUseTLS?: boolean;
  /** `host:port` or `host:port/service`; without a service the whole server's health is asked. */
  GRPC?: string;
  GRPCUseTLS?: boolean;
  SuccessBeforePassing?: number;
  FailuresBeforeWarning?: number;
  FailuresBeforeCritical?: number;
  DeregisterCriticalServiceAfterMs?: number;
  /** Bytes of output kept; 4096 when absent or not positive. */
  OutputMaxSize?: number;
}

/** The kinds of check this agent runs; scripts are refused on purpose. */
export type CheckType = "http" | "tcp" | "ttl" | "grpc";

/** One status report of a check, after the success/failure thresholds were applied. */
export interface CheckUpdate {
  status: CheckStatus;
  output: string;
}

/**
 * A running check. `start` reports the initial status synchronously, then runs on its own;
 * `stop` is idempotent and synchronous: afterwards `onUpdate` is never called again and no timer
 * or socket of the runner remains.
 */
export interface CheckRunner {
  readonly type: CheckType;
  start(): void;
  stop(): void;
}

/** What a runner needs from the agent; `onUpdate` is called on the event loop, never re-entrantly. */
export interface CheckRunnerDeps {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly onUpdate: (update: CheckUpdate) => void;
  /** Replaces the built-in HTTP client; TLSSkipVerify and TLSServerName are then the fetch's business. */
  readonly fetch?: typeof fetch;
  /** Uniform in [0, 1); picks the first run's stagger within the interval. `Math.random` by default. */
  readonly random?: () => number;
}
