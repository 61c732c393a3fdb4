/**
 * The HTTP client fields that Prometheus (prometheus/common's HTTPClientConfig) inlines into
 * scrape configs, SD configs, alertmanagers and remote endpoints, with its validation rules.
 */
import { z } from "zod";
import type { Authorization, BasicAuth, HTTPClientConfig, TLSConfig } from "./types.js";
import { checked, fail } from "./checked.js";
import { bool, str, unsupportedFields } from "./scalars.js";

const tlsVersion = z.enum(["TLS10", "TLS11", "TLS12", "TLS13"], {
  error: (issue) => `unknown TLS version: ${String(issue.input)}`,
});

const tlsConfig = z
  .object({
    ca: str.nullish(),
    ca_file: str.nullish(),
    cert: str.nullish(),
    cert_file: str.nullish(),
    key: str.nullish(),
    key_file: str.nullish(),
    server_name: str.nullish(),
    insecure_skip_verify: bool.nullish(),
    min_version: tlsVersion.nullish(),
    max_version: tlsVersion.nullish(),
    ...unsupportedFields(["ca_ref", "cert_ref", "key_ref", "next_protos"]),
  })
  .strict()
  .nullish()
  .transform(
    checked((raw): TLSConfig => {
    const t = raw ?? {};
    if (t.ca && t.ca_file) return fail("at most one of ca, ca_file & ca_ref must be configured");
    if (t.cert && t.cert_file) return fail("at most one of cert, cert_file & cert_ref must be configured");
    if (t.key && t.key_file) return fail("at most one of key and key_file must be configured");
    const usingCert = Boolean(t.cert || t.cert_file);
    const usingKey = Boolean(t.key || t.key_file);
    if (usingCert && !usingKey) return fail("exactly one of key or key_file must be configured when a client certificate is configured");
    if (usingKey && !usingCert) return fail("exactly one of cert or cert_file must be configured when a client key is configured");
    return compact({
      ca: t.ca || undefined,
      caFile: t.ca_file || undefined,
      cert: t.cert || undefined,
      certFile: t.cert_file || undefined,
      key: t.key || undefined,
      keyFile: t.key_file || undefined,
      serverName: t.server_name || undefined,
      insecureSkipVerify: t.insecure_skip_verify ?? false,
      minVersion: t.min_version ?? undefined,
      maxVersion: t.max_version ?? undefined,
    });
    }),
  );

const basicAuth = z
  .object({
    username: str.nullish(),
    username_file: str.nullish(),
    password: str.nullish(),
    password_file: str.nullish(),
    ...unsupportedFields(["username_ref", "password_ref"]),
  })
  .strict();

const authorization = z
  .object({
    type: str.nullish(),
    credentials: str.nullish(),
    credentials_file: str.nullish(),
    ...unsupportedFields(["credentials_ref"]),
  })
  .strict();

/** The inline HTTP client keys, to spread into a section's strict object schema. */
export const httpClientShape = {
  basic_auth: basicAuth.nullish(),
  authorization: authorization.nullish(),
  bearer_token: str.nullish(),
  bearer_token_file: str.nullish(),
  tls_config: tlsConfig,
  follow_redirects: bool.nullish(),
  enable_http2: bool.nullish(),
  proxy_url: str.nullish(),
  ...unsupportedFields(["oauth2", "no_proxy", "proxy_from_environment", "proxy_connect_header", "http_headers"]),
};

type RawHTTPClient = z.output<z.ZodObject<typeof httpClientShape>>;

/**
 * Validates the inline HTTP client fields as HTTPClientConfig.Validate does and applies the
 * defaults (throws `FieldError` with a path relative to the section); the legacy `bearer_token[_file]` becomes an `authorization` of type Bearer.
 */
export function buildHTTPClient(raw: RawHTTPClient, defaults: { enableHTTP2: boolean }): HTTPClientConfig {
  const token = raw.bearer_token ?? "";
  const tokenFile = raw.bearer_token_file ?? "";
  if (token && tokenFile) fail("at most one of bearer_token & bearer_token_file must be configured", ["bearer_token"]);
  if (raw.basic_auth && (token || tokenFile)) {
    fail("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured", ["basic_auth"]);
  }
  let basic: BasicAuth | undefined;
  if (raw.basic_auth) {
    const b = raw.basic_auth;
    if (b.username && b.username_file) {
      fail("at most one of basic_auth username, username_file & username_ref must be configured", ["basic_auth"]);
    }
    if (b.password && b.password_file) {
      fail("at most one of basic_auth password, password_file & password_ref must be configured", ["basic_auth"]);
    }
    basic = compact({
      username: b.username ?? "",
      usernameFile: b.username_file || undefined,
      password: b.password || undefined,
      passwordFile: b.password_file || undefined,
    });
  }
  let auth: Authorization | undefined;
  if (raw.authorization) {
    const a = raw.authorization;
    if (token || tokenFile) fail("authorization is not compatible with bearer_token & bearer_token_file", ["authorization"]);
    if (a.credentials && a.credentials_file) {
      fail("at most one of authorization credentials & credentials_file must be configured", ["authorization"]);
    }
    const type = (a.type ?? "").trim() || "Bearer";
    if (type.toLowerCase() === "basic") {
      fail('authorization type cannot be set to "basic", use "basic_auth" instead', ["authorization", "type"]);
    }
    if (basic) fail("at most one of basic_auth, oauth2 & authorization must be configured", ["authorization"]);
    auth = compact({ type, credentials: a.credentials || undefined, credentialsFile: a.credentials_file || undefined });
  } else if (token) {
    auth = { type: "Bearer", credentials: token };
  } else if (tokenFile) {
    auth = { type: "Bearer", credentialsFile: tokenFile };
  }
  if (raw.proxy_url) {
    try {
      new URL(raw.proxy_url);
    } catch {
      fail(`invalid proxy_url ${JSON.stringify(raw.proxy_url)}`, ["proxy_url"]);
    }
  }
  return compact({
    basicAuth: basic,
    authorization: auth,
    tls: raw.tls_config,
    followRedirects: raw.follow_redirects ?? true,
    enableHTTP2: raw.enable_http2 ?? defaults.enableHTTP2,
    proxyURL: raw.proxy_url || undefined,
  });
}

/** Drops keys whose value is undefined, so configs compare equal however they were built. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
