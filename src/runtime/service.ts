/**
 * A long-running part of a role (HTTP server, scrape manager, registry, …).
 *
 * Contract: `start` resolves once the service is serving (or rejects when it cannot start);
 * `stop` is idempotent, releases every resource and resolves when done; `ready` is cheap and
 * synchronous. A service that can end on its own (a crashed child, a lost lock) exposes `done`,
 * which resolves or rejects when that happens; `RunGroup` treats that as a failure of the group.
 */
export interface Service {
  /** Stable name used in logs and errors. */
  readonly name: string;
  /** Starts the service; `signal` aborts a start that is still in progress. */
  start(signal: AbortSignal): Promise<void>;
  /** Stops the service and waits until it has released its resources. */
  stop(): Promise<void>;
  /** Whether the service is ready to serve. */
  ready(): boolean;
  /** Settles when the service ends on its own, if it can. */
  done?(): Promise<void>;
}
