import type { Logger } from "../../runtime/index.js";
import type { DatacenterRouter } from "../http/catalog-routes.js";

/** Options of `WanRouter`. */
export interface WanRouterOptions {
  readonly datacenter: string;
  /** Base URLs of servers in other datacenters (`--join-wan`). */
  readonly peers: readonly string[];
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
}

/**
 * Knows the servers of other datacenters, as Consul's WAN pool does: each `--join-wan` URL is
 * asked for its datacenter (`/v1/agent/self`) and then serves `?dc=` requests for it.
 */
export class WanRouter implements DatacenterRouter {
  readonly #options: WanRouterOptions;
  readonly #byDc = new Map<string, string>();

  constructor(options: WanRouterOptions) {
    this.#options = options;
  }

  /** Asks every peer for its datacenter; peers that do not answer are retried on the next call. */
  async refresh(signal: AbortSignal): Promise<void> {
    const doFetch = this.#options.fetch ?? fetch;
    await Promise.all(
      this.#options.peers.map(async (url) => {
        try {
          const res = await doFetch(new URL("/v1/agent/self", url), { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) });
          if (!res.ok) throw new Error(`status ${res.status}`);
          const self = (await res.json()) as { Config?: { Datacenter?: string } };
          const dc = self.Config?.Datacenter;
          if (dc && dc !== this.#options.datacenter) this.#byDc.set(dc, url);
        } catch (err) {
          this.#options.logger.warn({ peer: url, err }, "wan peer unreachable");
        }
      }),
    );
  }

  datacenters(): string[] {
    return [this.#options.datacenter, ...[...this.#byDc.keys()].sort()];
  }

  serverFor(dc: string): string | undefined {
    return this.#byDc.get(dc);
  }
}
