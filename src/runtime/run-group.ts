import type { Logger } from "pino";
import { ServiceError } from "./errors.js";
import type { Service } from "./service.js";

/**
 * Runs services as one unit: starts them in order, stops them in reverse order, and stops all of
 * them when the first one fails (to start, or later on its own).
 */
export class RunGroup {
  readonly #services: readonly Service[];
  readonly #logger: Logger;
  readonly #started: Service[] = [];
  readonly #abort = new AbortController();
  #stopping: Promise<void> | undefined;
  #failure: unknown;
  #resolveEnded!: () => void;
  readonly #ended = new Promise<void>((resolve) => {
    this.#resolveEnded = resolve;
  });

  constructor(services: readonly Service[], logger: Logger) {
    this.#services = services;
    this.#logger = logger;
  }

  /** Whether every service has started and reports ready. */
  ready(): boolean {
    return this.#stopping === undefined && this.#started.length === this.#services.length && this.#services.every((s) => s.ready());
  }

  /**
   * Starts every service in order. If one fails to start, the ones already started are stopped
   * in reverse order and the failure is thrown.
   */
  async start(): Promise<void> {
    for (const service of this.#services) {
      if (this.#stopping) throw new ServiceError(service.name, "group is stopping");
      try {
        await service.start(this.#abort.signal);
      } catch (err) {
        const failure = new ServiceError(service.name, `start failed: ${errorMessage(err)}`, err);
        await this.#fail(failure);
        throw failure;
      }
      this.#started.push(service);
      this.#watch(service);
    }
  }

  /** Stops every started service in reverse order; safe to call more than once. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  /** Resolves when the group has stopped; rejects with the first failure, if any. */
  async wait(): Promise<void> {
    await this.#ended;
    if (this.#failure !== undefined) throw this.#failure;
  }

  #watch(service: Service): void {
    if (!service.done) return;
    service.done().then(
      () => {
        if (!this.#stopping) void this.#fail(new ServiceError(service.name, "stopped unexpectedly"));
      },
      (err: unknown) => {
        if (!this.#stopping) void this.#fail(new ServiceError(service.name, errorMessage(err), err));
      },
    );
  }

  async #fail(err: ServiceError): Promise<void> {
    this.#failure ??= err;
    this.#logger.error({ service: err.service, err }, "service failed, stopping all");
    await this.stop();
  }

  async #stopAll(): Promise<void> {
    this.#abort.abort();
    for (const service of [...this.#started].reverse()) {
      try {
        await service.stop();
        this.#logger.debug({ service: service.name }, "service stopped");
      } catch (err) {
        this.#failure ??= new ServiceError(service.name, `stop failed: ${errorMessage(err)}`, err);
        this.#logger.error({ service: service.name, err }, "service stop failed");
      }
    }
    this.#started.length = 0;
    this.#resolveEnded();
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
