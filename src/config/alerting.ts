/** The `alerting` section: alert relabelling and the Alertmanagers to send alerts to. */
import { z } from "zod";
import { checked, fail } from "./checked.js";
import { checkStaticTargets, discoveryShape } from "./discovery.js";
import { buildHTTPClient, httpClientShape } from "./http-client.js";
import { relabelConfigs } from "./relabel.js";
import { duration, str, unsupportedFields } from "./scalars.js";
import type { AlertingConfig, AlertmanagerConfig } from "./types.js";

const alertmanagerConfig = z
  .object({
    scheme: z.enum(["http", "https"]).nullish(),
    path_prefix: str.nullish(),
    timeout: duration.nullish(),
    api_version: str.nullish(),
    relabel_configs: relabelConfigs,
    alert_relabel_configs: relabelConfigs,
    ...httpClientShape,
    ...discoveryShape,
    ...unsupportedFields(["sigv4"]),
  })
  .strict()
  .transform(
    checked((raw): AlertmanagerConfig => {
      const version = raw.api_version ?? "v2";
      // Prometheus 3 dropped v1; an explicit v1 is refused rather than silently sent as v2.
      if (version !== "v2") {
        fail(`expected Alertmanager api version to be one of [v2] but got ${version}`, ["api_version"]);
      }
      const http = buildHTTPClient(raw, { enableHTTP2: true });
      if (raw.relabel_configs.length === 0) checkStaticTargets(raw.static_configs);
      return {
        scheme: raw.scheme ?? "http",
        pathPrefix: raw.path_prefix ?? "",
        timeoutMs: raw.timeout ?? 10_000,
        apiVersion: "v2",
        http,
        staticConfigs: raw.static_configs,
        fileSDConfigs: raw.file_sd_configs,
        consulSDConfigs: raw.consul_sd_configs,
        relabelConfigs: raw.relabel_configs,
        alertRelabelConfigs: raw.alert_relabel_configs,
      };
    }),
  );

/** The `alerting` section; absent or `null` means no Alertmanagers. */
export const alertingConfig = z
  .object({
    alert_relabel_configs: relabelConfigs,
    alertmanagers: z.array(alertmanagerConfig).nullish(),
  })
  .strict()
  .nullish()
  .transform(
    (raw): AlertingConfig => ({
      alertRelabelConfigs: raw?.alert_relabel_configs ?? [],
      alertmanagers: raw?.alertmanagers ?? [],
    }),
  );
