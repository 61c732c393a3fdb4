import type { Registry } from "prom-client";
import { HttpServer, RunGroup, runUntilSignalled, type Logger, type RouteRegistrar, type Service } from "../runtime/index.js";

/** What `serve` runs: the role's services, its routes, and its reload. */
export interface ServeOptions {
  readonly listen: string;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Services in start order; the HTTP server starts after them and stops first. */
  readonly services: readonly Service[];
  readonly routes: readonly RouteRegistrar[];
  readonly reload: () => Promise<unknown>;
  /** Runs once everything is serving, with the base URL (e.g. to register the process itself). */
  readonly afterStart?: (url: string) => Promise<void> | void;
  /** Lines printed to stdout once ready, after "running at URL". */
  readonly banner: (url: string) => string[];
}

/**
 * Runs a role until a stop signal: starts its services and the HTTP listener as one RunGroup,
 * wires SIGHUP/SIGTERM/SIGINT, prints where it listens, and resolves with the exit code.
 */
export async function serve(opts: ServeOptions): Promise<number> {
  const { logger } = opts;
  const http = new HttpServer({
    listen: opts.listen,
    logger,
    registry: opts.registry,
    ready: (): boolean => group.ready(),
    reload: opts.reload,
    routes: opts.routes,
  });
  const group = new RunGroup([...opts.services, http], logger);
  try {
    await group.start();
  } catch (err) {
    logger.error({ err }, "start-up failed");
    return 1;
  }
  // Signal handlers go in before the URLs are printed: whoever waits for that line may signal at once.
  const exitCode = runUntilSignalled({ group, logger, reload: opts.reload });
  try {
    await opts.afterStart?.(http.url);
  } catch (err) {
    logger.error({ err }, "start-up step failed");
    await group.stop();
    return 1;
  }
  logger.info({ url: http.url }, "ready");
  process.stdout.write([`Meridian is running at ${http.url}/`, ...opts.banner(http.url), ""].join("\n"));
  return exitCode;
}
