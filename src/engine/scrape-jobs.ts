import { readFileSync } from "node:fs";
import type { ScrapeConfig } from "../config/index.js";
import type { ScrapeJob } from "../scrape/index.js";

/**
 * Turns a configured job into what the scrape layer runs. Secrets given as files are read here,
 * at (re)load time, as Prometheus reads them when it builds the HTTP client.
 */
export function toScrapeJob(cfg: ScrapeConfig): ScrapeJob {
  const { http } = cfg;
  const basic = http.basicAuth;
  const auth = http.authorization;
  return {
    jobName: cfg.jobName,
    intervalMs: cfg.scrapeIntervalMs,
    timeoutMs: cfg.scrapeTimeoutMs,
    metricsPath: cfg.metricsPath,
    scheme: cfg.scheme,
    params: cfg.params,
    honorLabels: cfg.honorLabels,
    honorTimestamps: cfg.honorTimestamps,
    relabelConfigs: cfg.relabelConfigs,
    metricRelabelConfigs: cfg.metricRelabelConfigs,
    sampleLimit: cfg.sampleLimit,
    labelLimit: cfg.labelLimit,
    labelNameLengthLimit: cfg.labelNameLengthLimit,
    labelValueLengthLimit: cfg.labelValueLengthLimit,
    bodySizeLimitBytes: cfg.bodySizeLimitBytes,
    targetLimit: cfg.targetLimit,
    http: {
      ...(basic ? { basicAuth: { username: basic.username, password: basic.password ?? (basic.passwordFile ? readSecret(basic.passwordFile) : "") } } : {}),
      ...(auth ? { authorization: { type: auth.type, credentials: auth.credentials ?? (auth.credentialsFile ? readSecret(auth.credentialsFile) : "") } } : {}),
      tls: {
        ca: http.tls.caFile,
        cert: http.tls.certFile,
        key: http.tls.keyFile,
        serverName: http.tls.serverName,
        insecureSkipVerify: http.tls.insecureSkipVerify,
      },
      followRedirects: http.followRedirects,
    },
  };
}

function readSecret(file: string): string {
  return readFileSync(file, "utf8").trim();
}
