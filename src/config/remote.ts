/**
 * `remote_write` and `remote_read` endpoints: read, checked and stored with Prometheus's
 * defaults, so a configuration that uses them loads; sending is another module's concern.
 */
import { z } from "zod";
import { checked, fail } from "./checked.js";
import { buildHTTPClient, httpClientShape } from "./http-client.js";
import { relabelConfigs } from "./relabel.js";
import { bool, duration, labelSet, str, strMap, uint, unsupportedFields } from "./scalars.js";
import type { MetadataConfig, QueueConfig, RemoteReadConfig, RemoteWriteConfig } from "./types.js";

// Headers the remote protocols or the HTTP client own; Prometheus refuses to let config set them.
const RESERVED_HEADERS = new Set([
  "host",
  "content-encoding",
  "content-length",
  "content-type",
  "user-agent",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "www-authenticate",
  "accept-encoding",
  "x-prometheus-remote-write-version",
  "x-prometheus-remote-read-version",
  "x-amz-date",
  "x-amz-security-token",
  "x-amz-content-sha256",
]);

function checkHeaders(headers: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === "authorization") {
      fail("authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter", [
        "headers",
        name,
      ]);
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) fail(`${name} is a reserved header. It must not be changed`, ["headers", name]);
  }
}

function checkURL(url: string | null | undefined, section: string): string {
  if (!url) fail(`url for ${section} is empty`, ["url"]);
  try {
    new URL(url);
  } catch {
    fail(`invalid url ${JSON.stringify(url)}`, ["url"]);
  }
  return url;
}

const queueConfig = z
  .object({
    capacity: uint.nullish(),
    max_shards: uint.nullish(),
    min_shards: uint.nullish(),
    max_samples_per_send: uint.nullish(),
    batch_send_deadline: duration.nullish(),
    min_backoff: duration.nullish(),
    max_backoff: duration.nullish(),
    retry_on_http_429: bool.nullish(),
    sample_age_limit: duration.nullish(),
  })
  .strict()
  .nullish()
  .transform(
    (q): QueueConfig => ({
      capacity: q?.capacity || 10_000,
      maxShards: q?.max_shards || 50,
      minShards: q?.min_shards || 1,
      maxSamplesPerSend: q?.max_samples_per_send || 2000,
      batchSendDeadlineMs: q?.batch_send_deadline || 5000,
      minBackoffMs: q?.min_backoff || 30,
      maxBackoffMs: q?.max_backoff || 5000,
      retryOnRateLimit: q?.retry_on_http_429 ?? false,
      sampleAgeLimitMs: q?.sample_age_limit ?? 0,
    }),
  );

const metadataConfig = z
  .object({ send: bool.nullish(), send_interval: duration.nullish(), max_samples_per_send: uint.nullish() })
  .strict()
  .nullish()
  .transform(
    (m): MetadataConfig => ({
      send: m?.send ?? true,
      sendIntervalMs: m?.send_interval || 60_000,
      maxSamplesPerSend: m?.max_samples_per_send || 2000,
    }),
  );

const remoteWriteConfig = z
  .object({
    url: str.nullish(),
    name: str.nullish(),
    remote_timeout: duration.nullish(),
    headers: strMap,
    write_relabel_configs: relabelConfigs,
    send_exemplars: bool.nullish(),
    send_native_histograms: bool.nullish(),
    round_robin_dns: bool.nullish(),
    protobuf_message: z.enum(["prometheus.WriteRequest", "io.prometheus.write.v2.Request"]).nullish(),
    queue_config: queueConfig,
    metadata_config: metadataConfig,
    ...httpClientShape,
    ...unsupportedFields(["sigv4", "azuread", "google_iam"]),
  })
  .strict()
  .transform(
    checked((raw): RemoteWriteConfig => {
      const url = checkURL(raw.url, "remote_write");
      checkHeaders(raw.headers);
      return {
        url,
        ...(raw.name ? { name: raw.name } : {}),
        remoteTimeoutMs: raw.remote_timeout || 30_000,
        headers: raw.headers,
        writeRelabelConfigs: raw.write_relabel_configs,
        sendExemplars: raw.send_exemplars ?? false,
        sendNativeHistograms: raw.send_native_histograms ?? false,
        roundRobinDNS: raw.round_robin_dns ?? false,
        protobufMessage: raw.protobuf_message ?? "prometheus.WriteRequest",
        queueConfig: raw.queue_config,
        metadataConfig: raw.metadata_config,
        // Remote write defaults HTTP/2 off, unlike every other client (Prometheus 2.39+).
        http: buildHTTPClient(raw, { enableHTTP2: false }),
      };
    }),
  );

const remoteReadConfig = z
  .object({
    url: str.nullish(),
    name: str.nullish(),
    remote_timeout: duration.nullish(),
    chunked_read_limit: uint.nullish(),
    headers: strMap,
    read_recent: bool.nullish(),
    required_matchers: labelSet,
    filter_external_labels: bool.nullish(),
    ...httpClientShape,
  })
  .strict()
  .transform(
    checked((raw): RemoteReadConfig => {
      const url = checkURL(raw.url, "remote_read");
      checkHeaders(raw.headers);
      return {
        url,
        ...(raw.name ? { name: raw.name } : {}),
        remoteTimeoutMs: raw.remote_timeout || 60_000,
        chunkedReadLimit: raw.chunked_read_limit || 50_000_000,
        headers: raw.headers,
        readRecent: raw.read_recent ?? false,
        requiredMatchers: raw.required_matchers,
        filterExternalLabels: raw.filter_external_labels ?? true,
        http: buildHTTPClient(raw, { enableHTTP2: true }),
      };
    }),
  );

// Names identify endpoints in metrics; Prometheus refuses two with the same explicit name.
function uniqueNames<T extends { readonly name?: string }>(section: string) {
  return (list: readonly (T | null)[] | null | undefined, ctx: z.RefinementCtx): T[] => {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const [i, c] of (list ?? []).entries()) {
      if (c === null) {
        ctx.addIssue({ code: "custom", message: `empty or null ${section} config section`, path: [i] });
        return z.NEVER;
      }
      if (c.name !== undefined && seen.has(c.name)) {
        ctx.addIssue({
          code: "custom",
          message: `found multiple ${section} configs with job name ${JSON.stringify(c.name)}`,
          path: [i, "name"],
        });
        return z.NEVER;
      }
      if (c.name !== undefined) seen.add(c.name);
      out.push(c);
    }
    return out;
  };
}

/** The `remote_write` list. */
export const remoteWriteConfigs = z
  .array(remoteWriteConfig.nullable())
  .nullish()
  .transform(uniqueNames<RemoteWriteConfig>("remote write"));

/** The `remote_read` list. */
export const remoteReadConfigs = z
  .array(remoteReadConfig.nullable())
  .nullish()
  .transform(uniqueNames<RemoteReadConfig>("remote read"));
