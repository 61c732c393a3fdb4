/**
 * Service discovery sections of scrape configs and alertmanagers: `static_configs`,
 * `file_sd_configs` and `consul_sd_configs`, with Prometheus's defaults and checks. Every other SD
 * mechanism Prometheus has is refused by name rather than ignored.
 */
import { z } from "zod";
import type { FileSDConfig, StaticConfig } from "../discovery/index.js";
import { checked, fail } from "./checked.js";
import { buildHTTPClient, compact, httpClientShape } from "./http-client.js";
import { bool, duration, labelSet, str, strList, strMap, unsupportedFields } from "./scalars.js";
import type { ConsulSDClientConfig } from "./types.js";

// Prometheus 3's other SD mechanisms; listed so the error says "not supported", not "unknown".
const OTHER_SD = [
  "azure_sd_configs",
  "digitalocean_sd_configs",
  "docker_sd_configs",
  "dockerswarm_sd_configs",
  "dns_sd_configs",
  "ec2_sd_configs",
  "eureka_sd_configs",
  "gce_sd_configs",
  "hetzner_sd_configs",
  "http_sd_configs",
  "ionos_sd_configs",
  "kubernetes_sd_configs",
  "kuma_sd_configs",
  "lightsail_sd_configs",
  "linode_sd_configs",
  "marathon_sd_configs",
  "nerve_sd_configs",
  "nomad_sd_configs",
  "openstack_sd_configs",
  "ovhcloud_sd_configs",
  "puppetdb_sd_configs",
  "scaleway_sd_configs",
  "serverset_sd_configs",
  "stackit_sd_configs",
  "triton_sd_configs",
  "uyuni_sd_configs",
  "vultr_sd_configs",
];

// Files Prometheus's file SD accepts: a `*` only in the last path element, and a known extension.
const FILE_SD_NAME = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

const staticConfig = z
  .object({ targets: strList, labels: labelSet })
  .strict()
  .transform((raw): StaticConfig => ({ targets: raw.targets, labels: raw.labels }));

const fileSDConfig = z
  .object({ files: strList, refresh_interval: duration.nullish() })
  .strict()
  .transform(
    checked((raw): FileSDConfig => {
      if (raw.files.length === 0) fail("file service discovery config must contain at least one path name", ["files"]);
      raw.files.forEach((name, i) => {
        if (!FILE_SD_NAME.test(name)) fail(`path name ${JSON.stringify(name)} is not valid for file discovery`, ["files", i]);
      });
      return { files: raw.files, refreshIntervalMs: raw.refresh_interval || 5 * 60_000 };
    }),
  );

const consulSDConfig = z
  .object({
    server: str.nullish(),
    path_prefix: str.nullish(),
    token: str.nullish(),
    datacenter: str.nullish(),
    namespace: str.nullish(),
    partition: str.nullish(),
    tag_separator: str.nullish(),
    scheme: z.enum(["http", "https"]).nullish(),
    username: str.nullish(),
    password: str.nullish(),
    allow_stale: bool.nullish(),
    refresh_interval: duration.nullish(),
    services: strList,
    tags: strList,
    node_meta: strMap,
    filter: str.nullish(),
    ...httpClientShape,
  })
  .strict()
  .transform(
    checked((raw): ConsulSDClientConfig => {
      const server = raw.server ?? "localhost:8500";
      if (server.trim() === "") fail("consul SD configuration requires a server address", ["server"]);
      if ((raw.username || raw.password) && raw.basic_auth) {
        fail("at most one of consul SD configuration username and password and basic auth can be configured", ["basic_auth"]);
      }
      if (raw.token && (raw.authorization || raw.bearer_token || raw.bearer_token_file)) {
        fail("at most one of consul SD token, authorization, or oauth2 can be configured", ["token"]);
      }
      const optional = (v: string | null | undefined): string | undefined => v || undefined;
      const out: ConsulSDClientConfig = {
        server,
        pathPrefix: optional(raw.path_prefix),
        token: optional(raw.token),
        datacenter: optional(raw.datacenter),
        namespace: optional(raw.namespace),
        partition: optional(raw.partition),
        tagSeparator: raw.tag_separator ?? ",",
        scheme: raw.scheme ?? "http",
        username: optional(raw.username),
        password: optional(raw.password),
        allowStale: raw.allow_stale ?? true,
        refreshIntervalMs: raw.refresh_interval || 30_000,
        services: raw.services,
        tags: raw.tags,
        nodeMeta: raw.node_meta,
        filter: optional(raw.filter),
        http: buildHTTPClient(raw, { enableHTTP2: true }),
      };
      return compact(out);
    }),
  );

function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v) => (v ?? []) as z.output<T>[]);
}

/** The SD keys a scrape config or alertmanager entry may hold, to spread into its schema. */
export const discoveryShape = {
  static_configs: list(staticConfig),
  file_sd_configs: list(fileSDConfig),
  consul_sd_configs: list(consulSDConfig),
  ...unsupportedFields(OTHER_SD),
};

/**
 * Prometheus refuses a URL as a static target unless relabelling may rewrite it, because
 * `http://host/path` in `targets` is a common mistake that would never scrape.
 */
export function checkStaticTargets(configs: readonly StaticConfig[]): void {
  configs.forEach((sc, i) => {
    sc.targets.forEach((t, j) => {
      if (t.includes("/")) fail(`${JSON.stringify(t)} is not a valid hostname`, ["static_configs", i, "targets", j]);
    });
  });
}
