export { parsePrometheusConfig } from "./prometheus.js";
export type { ParseOptions } from "./prometheus.js";
export { loadPrometheusConfig } from "./load.js";
export { configsEqual } from "./equal.js";
export { parseBase2Bytes, ByteSizeParseError } from "./units.js";
export type {
  AlertingConfig,
  AlertmanagerConfig,
  Authorization,
  BasicAuth,
  ConsulSDClientConfig,
  GlobalConfig,
  HTTPClientConfig,
  MetadataConfig,
  PrometheusConfig,
  QueueConfig,
  RemoteReadConfig,
  RemoteWriteConfig,
  ScrapeConfig,
  ScrapeProtocol,
  StorageConfig,
  TLSConfig,
  TLSVersion,
} from "./types.js";
