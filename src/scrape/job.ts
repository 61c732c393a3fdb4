import type { RelabelConfig } from "./relabel/types.js";

/** HTTP client settings of a scrape job (Prometheus's `HTTPClientConfig` subset). */
export interface ScrapeHttpOptions {
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly authorization?: { readonly type: string; readonly credentials: string };
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly serverName?: string; readonly insecureSkipVerify?: boolean };
  readonly followRedirects?: boolean;
}

/**
 * What the scrape layer needs of one `scrape_configs` entry, with defaults applied and durations
 * in ms. Limits of 0 mean "no limit", as in Prometheus.
 */
export interface ScrapeJob {
  readonly jobName: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly metricsPath: string;
  readonly scheme: "http" | "https";
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly relabelConfigs: readonly RelabelConfig[];
  readonly metricRelabelConfigs: readonly RelabelConfig[];
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly bodySizeLimitBytes: number;
  readonly targetLimit: number;
  readonly http: ScrapeHttpOptions;
}
