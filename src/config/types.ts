/**
 * The typed form of `prometheus.yml` after Prometheus's defaults and inheritance were applied.
 * Field names are camelCase versions of the YAML keys; durations are integer milliseconds; limits
 * are counts where 0 means "no limit". Paths are as written, or absolute when the configuration
 * was loaded from a file (resolved against the file's directory, as Prometheus does).
 */
import type { ConsulSDConfig, FileSDConfig, LabelSet, StaticConfig } from "../discovery/index.js";
import type { RelabelConfig } from "../scrape/relabel/index.js";

/** A scrape protocol name as Prometheus 2.49+ spells it in `scrape_protocols`. */
export type ScrapeProtocol =
  | "PrometheusProto"
  | "PrometheusText0.0.4"
  | "PrometheusText1.0.0"
  | "OpenMetricsText0.0.1"
  | "OpenMetricsText1.0.0";

/** A TLS protocol version as `tls_config.min_version` spells it. */
export type TLSVersion = "TLS10" | "TLS11" | "TLS12" | "TLS13";

/** `tls_config`: inline PEM text or file paths (at most one of each pair), as prometheus/common. */
export interface TLSConfig {
  readonly ca?: string;
  readonly caFile?: string;
  readonly cert?: string;
  readonly certFile?: string;
  readonly key?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly insecureSkipVerify: boolean;
  readonly minVersion?: TLSVersion;
  readonly maxVersion?: TLSVersion;
}

/** `basic_auth`: the password comes from `password` or from `password_file`, never both. */
export interface BasicAuth {
  readonly username: string;
  readonly usernameFile?: string;
  readonly password?: string;
  readonly passwordFile?: string;
}

/** `authorization` (also the legacy `bearer_token[_file]`): an `Authorization: <type> <credentials>` header. */
export interface Authorization {
  /** Default "Bearer"; never "Basic" (that is `basic_auth`). */
  readonly type: string;
  readonly credentials?: string;
  readonly credentialsFile?: string;
}

/** The HTTP client settings Prometheus inlines into scrape, SD, alerting and remote sections. */
export interface HTTPClientConfig {
  readonly basicAuth?: BasicAuth;
  readonly authorization?: Authorization;
  readonly tls: TLSConfig;
  /** Default true. */
  readonly followRedirects: boolean;
  /** Default true (false for remote write, as Prometheus). */
  readonly enableHTTP2: boolean;
  readonly proxyURL?: string;
}

/** `consul_sd_configs` entry with its HTTP client settings (`basic_auth`, `authorization`, `tls_config`). */
export interface ConsulSDClientConfig extends ConsulSDConfig {
  /** `username`/`password` stay in their own fields; `basic_auth` is here, and the two never both appear. */
  readonly http: HTTPClientConfig;
}

/** `global`: defaults for every scrape config and for rule evaluation. */
export interface GlobalConfig {
  /** Default 1 m. */
  readonly scrapeIntervalMs: number;
  /** Default 10 s, or the interval when that is shorter. */
  readonly scrapeTimeoutMs: number;
  /** Default 1 m. */
  readonly evaluationIntervalMs: number;
  /** Default 0. */
  readonly ruleQueryOffsetMs: number;
  readonly externalLabels: LabelSet;
  readonly queryLogFile?: string;
  /** Unset unless configured; jobs then use Prometheus's default list. */
  readonly scrapeProtocols?: readonly ScrapeProtocol[];
  readonly bodySizeLimitBytes: number;
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly targetLimit: number;
  readonly keepDroppedTargets: number;
}

/** One `scrape_configs` entry with the global defaults filled in. */
export interface ScrapeConfig {
  readonly jobName: string;
  readonly scrapeIntervalMs: number;
  /** Never greater than `scrapeIntervalMs`. */
  readonly scrapeTimeoutMs: number;
  /** In order of preference; Prometheus's default when unset. */
  readonly scrapeProtocols: readonly ScrapeProtocol[];
  readonly fallbackScrapeProtocol?: ScrapeProtocol;
  /** Default "/metrics". */
  readonly metricsPath: string;
  /** Default "http". */
  readonly scheme: "http" | "https";
  /** Query parameters; a name may repeat, as in `url.Values`. */
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honorLabels: boolean;
  /** Default true. */
  readonly honorTimestamps: boolean;
  readonly trackTimestampsStaleness: boolean;
  /** Default true. */
  readonly enableCompression: boolean;
  readonly http: HTTPClientConfig;
  readonly staticConfigs: readonly StaticConfig[];
  readonly fileSDConfigs: readonly FileSDConfig[];
  readonly consulSDConfigs: readonly ConsulSDClientConfig[];
  readonly relabelConfigs: readonly RelabelConfig[];
  readonly metricRelabelConfigs: readonly RelabelConfig[];
  /** 0 = no limit; inherits the global limit when unset or 0. */
  readonly bodySizeLimitBytes: number;
  readonly sampleLimit: number;
  readonly labelLimit: number;
  readonly labelNameLengthLimit: number;
  readonly labelValueLengthLimit: number;
  readonly targetLimit: number;
  readonly keepDroppedTargets: number;
}

/** One `alerting.alertmanagers` entry. */
export interface AlertmanagerConfig {
  readonly scheme: "http" | "https";
  readonly pathPrefix: string;
  /** Default 10 s. */
  readonly timeoutMs: number;
  /** Only "v2": Prometheus 3 dropped v1. */
  readonly apiVersion: "v2";
  readonly http: HTTPClientConfig;
  readonly staticConfigs: readonly StaticConfig[];
  readonly fileSDConfigs: readonly FileSDConfig[];
  readonly consulSDConfigs: readonly ConsulSDClientConfig[];
  readonly relabelConfigs: readonly RelabelConfig[];
  readonly alertRelabelConfigs: readonly RelabelConfig[];
}

/** `alerting`: where alerts go and how they are relabelled first. */
export interface AlertingConfig {
  readonly alertRelabelConfigs: readonly RelabelConfig[];
  readonly alertmanagers: readonly AlertmanagerConfig[];
}

/** `remote_write.queue_config`, with Prometheus's defaults. */
export interface QueueConfig {
  readonly capacity: number;
  readonly maxShards: number;
  readonly minShards: number;
  readonly maxSamplesPerSend: number;
  readonly batchSendDeadlineMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly retryOnRateLimit: boolean;
  readonly sampleAgeLimitMs: number;
}

/** `remote_write.metadata_config`, with Prometheus's defaults. */
export interface MetadataConfig {
  readonly send: boolean;
  readonly sendIntervalMs: number;
  readonly maxSamplesPerSend: number;
}

/** One `remote_write` entry. */
export interface RemoteWriteConfig {
  readonly url: string;
  readonly name?: string;
  /** Default 30 s. */
  readonly remoteTimeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly writeRelabelConfigs: readonly RelabelConfig[];
  readonly sendExemplars: boolean;
  readonly sendNativeHistograms: boolean;
  readonly roundRobinDNS: boolean;
  readonly protobufMessage: "prometheus.WriteRequest" | "io.prometheus.write.v2.Request";
  readonly queueConfig: QueueConfig;
  readonly metadataConfig: MetadataConfig;
  readonly http: HTTPClientConfig;
}

/** One `remote_read` entry. */
export interface RemoteReadConfig {
  readonly url: string;
  readonly name?: string;
  /** Default 1 m. */
  readonly remoteTimeoutMs: number;
  readonly chunkedReadLimit: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly readRecent: boolean;
  readonly requiredMatchers: LabelSet;
  /** Default true. */
  readonly filterExternalLabels: boolean;
  readonly http: HTTPClientConfig;
}

/** `storage`: runtime-reloadable TSDB and exemplar settings. */
export interface StorageConfig {
  /** 0 = out-of-order samples are rejected. */
  readonly outOfOrderTimeWindowMs: number;
  /** Default 100000. */
  readonly maxExemplars: number;
}

/** A whole `prometheus.yml`. */
export interface PrometheusConfig {
  readonly global: GlobalConfig;
  /** Glob patterns, kept as strings (only the last path element may hold a `*`). */
  readonly ruleFiles: readonly string[];
  readonly scrapeConfigs: readonly ScrapeConfig[];
  readonly alerting: AlertingConfig;
  readonly remoteWrite: readonly RemoteWriteConfig[];
  readonly remoteRead: readonly RemoteReadConfig[];
  readonly storage: StorageConfig;
}
