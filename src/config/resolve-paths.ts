/**
 * Makes the relative file paths of a loaded config absolute against the config file's directory,
 * as Prometheus's SetDirectory does, so that the process's working directory never matters.
 */
import { isAbsolute, join } from "node:path";
import type { FileSDConfig } from "../discovery/index.js";
import type { ConsulSDClientConfig, HTTPClientConfig, PrometheusConfig } from "./types.js";

/** Returns `cfg` with every relative path (rule files, SD files, TLS and secret files, query log) joined to `dir`. */
export function resolvePaths(cfg: PrometheusConfig, dir: string): PrometheusConfig {
  // config.JoinDir: empty and absolute paths are kept.
  const p = (path: string | undefined): string | undefined =>
    path === undefined || path === "" || isAbsolute(path) ? path : join(dir, path);
  const paths = (list: readonly string[]): string[] => list.map((f) => p(f) ?? f);
  const http = (h: HTTPClientConfig): HTTPClientConfig =>
    defined({
      ...h,
      tls: defined({ ...h.tls, caFile: p(h.tls.caFile), certFile: p(h.tls.certFile), keyFile: p(h.tls.keyFile) }),
      basicAuth: h.basicAuth && defined({ ...h.basicAuth, usernameFile: p(h.basicAuth.usernameFile), passwordFile: p(h.basicAuth.passwordFile) }),
      authorization: h.authorization && defined({ ...h.authorization, credentialsFile: p(h.authorization.credentialsFile) }),
    });
  const fileSD = (list: readonly FileSDConfig[]): FileSDConfig[] => list.map((f) => ({ ...f, files: paths(f.files) }));
  const consul = (list: readonly ConsulSDClientConfig[]): ConsulSDClientConfig[] => list.map((c) => ({ ...c, http: http(c.http) }));
  return {
    ...cfg,
    global: defined({ ...cfg.global, queryLogFile: p(cfg.global.queryLogFile) }),
    ruleFiles: paths(cfg.ruleFiles),
    scrapeConfigs: cfg.scrapeConfigs.map((s) => ({
      ...s,
      http: http(s.http),
      fileSDConfigs: fileSD(s.fileSDConfigs),
      consulSDConfigs: consul(s.consulSDConfigs),
    })),
    alerting: {
      ...cfg.alerting,
      alertmanagers: cfg.alerting.alertmanagers.map((a) => ({
        ...a,
        http: http(a.http),
        fileSDConfigs: fileSD(a.fileSDConfigs),
        consulSDConfigs: consul(a.consulSDConfigs),
      })),
    },
    remoteWrite: cfg.remoteWrite.map((r) => ({ ...r, http: http(r.http) })),
    remoteRead: cfg.remoteRead.map((r) => ({ ...r, http: http(r.http) })),
  };
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
