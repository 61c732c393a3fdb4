import { BadRequestError } from "../errors.js";
import { AGENT_CHECK, AGENT_SERVICE } from "../http/bodies.js";
import { decodeObject } from "../http/decode.js";
import { parseGoDuration } from "../http/go-duration.js";
import { checkType, type CheckDefinition } from "./checks/index.js";
import type { LocalService } from "./local-state.js";

/** A decoded, validated service definition: the service and its checks with IDs assigned. */
export interface ServiceDefinition {
  readonly service: LocalService;
  readonly checks: readonly CheckDefinition[];
}

/** Consul's floor for `DeregisterCriticalServiceAfter` (`check_deregister_interval_min`). */
export const MIN_DEREGISTER_CRITICAL_MS = 60_000;

/** Which endpoint a check definition came through; they differ in required fields and wording. */
type CheckContext = { readonly kind: "service"; readonly service: LocalService; readonly index: number; readonly count: number } | { readonly kind: "standalone" };

/**
 * Decodes and validates a `PUT /v1/agent/service/register` body (or a config-file `service`),
 * throwing BadRequestError with Consul's wording and the offending field. `path` prefixes field
 * names in errors (e.g. `Services[2]`).
 */
export function parseServiceDefinition(body: unknown, path = ""): ServiceDefinition {
  const raw = decodeObject(body ?? {}, AGENT_SERVICE, path);
  const name = str(raw["Name"]);
  if (name === "") throw new BadRequestError(path ? `${path}: Missing service name` : "Missing service name");
  const port = (raw["Port"] as number | undefined) ?? 0;
  if (port < 0 || port > 65535) throw new BadRequestError(`Invalid service port ${port}: must be an integer in 0..65535`);
  const address = str(raw["Address"]);
  if (address === "0.0.0.0" || address === "::" || address === "[::]") throw new BadRequestError("Invalid service address");
  const weights = raw["Weights"] as { Passing?: number; Warning?: number } | undefined;
  if (weights && weights.Passing !== undefined && weights.Passing < 1) throw new BadRequestError("Passing must be greater than 0");
  if (weights && weights.Warning !== undefined && weights.Warning < 0) throw new BadRequestError("Warning must be greater or equal than 0");
  const tagged = raw["TaggedAddresses"] as Record<string, { Address?: string; Port?: number }> | undefined;
  const kind = str(raw["Kind"]);
  const service: LocalService = {
    ...(kind ? { Kind: kind } : {}),
    ID: str(raw["ID"]) || name,
    Service: name,
    Tags: [...((raw["Tags"] as string[] | undefined) ?? [])],
    Meta: { ...((raw["Meta"] as Record<string, string> | undefined) ?? {}) },
    Port: port,
    Address: address,
    ...(tagged && Object.keys(tagged).length > 0
      ? { TaggedAddresses: Object.fromEntries(Object.entries(tagged).map(([k, v]) => [k, { Address: v.Address ?? "", Port: v.Port ?? 0 }])) }
      : {}),
    Weights: { Passing: weights?.Passing ?? 1, Warning: weights?.Warning ?? 1 },
    EnableTagOverride: (raw["EnableTagOverride"] as boolean | undefined) ?? false,
  };
  const rawChecks = [
    ...(raw["Check"] ? [{ value: raw["Check"] as Record<string, unknown>, path: join(path, "Check") }] : []),
    ...((raw["Checks"] as Record<string, unknown>[] | undefined) ?? []).map((value, i) => ({ value, path: join(path, `Checks[${i}]`) })),
  ];
  const checks = rawChecks.map((c, index) => toCheckDefinition(c.value, c.path, { kind: "service", service, index, count: rawChecks.length }));
  return { service, checks };
}

/**
 * Decodes and validates a `PUT /v1/agent/check/register` body (or a config-file `check`); the
 * check ID defaults to its name, as Consul does.
 */
export function parseCheckDefinition(body: unknown, path = ""): CheckDefinition {
  const raw = decodeObject(body ?? {}, AGENT_CHECK, path);
  return toCheckDefinition(raw, path, { kind: "standalone" });
}

function toCheckDefinition(raw: Record<string, unknown>, path: string, ctx: CheckContext): CheckDefinition {
  const name = str(raw["Name"]);
  let id = str(raw["CheckID"]) || str(raw["ID"]);
  let checkName = name;
  let serviceID = str(raw["ServiceID"]);
  if (ctx.kind === "service") {
    // Consul numbers a service's checks from 1 only when it has several.
    if (id === "") id = ctx.count > 1 ? `service:${ctx.service.ID}:${ctx.index + 1}` : `service:${ctx.service.ID}`;
    if (checkName === "") checkName = `Service '${ctx.service.Service}' check`;
    serviceID = ctx.service.ID;
  } else {
    if (name === "") throw new BadRequestError(path ? `${path}: Missing check name` : "Missing check name");
    if (id === "") id = name;
  }
  const status = str(raw["Status"]);
  if (status !== "" && status !== "passing" && status !== "warning" && status !== "critical") {
    throw new BadRequestError(ctx.kind === "service" ? "Status for checks must 'passing', 'warning', 'critical'" : "Bad check status");
  }
  const header = raw["Header"];
  if (header !== undefined && !isHeaderMap(header)) {
    throw new BadRequestError(`Request decode failed: ${join(path, "Header")}: expected an object of string lists`);
  }
  const def: CheckDefinition & Record<string, unknown> = {
    CheckID: id,
    Name: checkName,
    ...(serviceID ? { ServiceID: serviceID } : {}),
    ...(raw["Notes"] !== undefined ? { Notes: str(raw["Notes"]) } : {}),
    ...(status ? { Status: status } : {}),
    ...durations(raw, path),
    ...pick(raw, ["HTTP", "Method", "Body", "DisableRedirects", "TLSSkipVerify", "TLSServerName", "TCP", "TCPUseTLS", "GRPC", "GRPCUseTLS"]),
    ...pick(raw, ["SuccessBeforePassing", "FailuresBeforeWarning", "FailuresBeforeCritical", "OutputMaxSize"]),
    ...(header !== undefined ? { Header: header } : {}),
    // Kept only so that checkType can refuse them by name.
    ...pick(raw, ["Args", "ScriptArgs", "Shell", "DockerContainerID", "H2PING", "UDP", "AliasNode", "AliasService"]),
  };
  try {
    checkType(def);
  } catch (err) {
    if (err instanceof BadRequestError && path) throw new BadRequestError(`${path}: ${err.message}`);
    throw err;
  }
  return stripUnsupported(def);
}

// Only fields of CheckDefinition survive, so definitions compare and serialize cleanly.
function stripUnsupported(def: CheckDefinition & Record<string, unknown>): CheckDefinition {
  const { Args: _a, ScriptArgs: _s, Shell: _sh, DockerContainerID: _d, H2PING: _h, UDP: _u, AliasNode: _an, AliasService: _as, ...rest } = def;
  return rest;
}

function durations(raw: Record<string, unknown>, path: string): Partial<CheckDefinition> {
  const out: Record<string, number> = {};
  for (const [field, key] of [
    ["Interval", "IntervalMs"],
    ["Timeout", "TimeoutMs"],
    ["TTL", "TTLMs"],
    ["DeregisterCriticalServiceAfter", "DeregisterCriticalServiceAfterMs"],
  ] as const) {
    const v = raw[field];
    if (v === undefined || v === "") continue;
    let ms: number;
    try {
      ms = parseGoDuration(String(v));
    } catch (err) {
      throw new BadRequestError(`Request decode failed: ${join(path, field)}: ${(err as Error).message}`);
    }
    if (ms < 0) throw new BadRequestError(`Request decode failed: ${join(path, field)}: must not be negative`);
    out[key] = ms;
  }
  return out;
}

function pick(raw: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (raw[k] !== undefined) out[k] = raw[k];
  return out;
}

function isHeaderMap(v: unknown): v is Record<string, string[]> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  return Object.values(v).every((list) => Array.isArray(list) && list.every((x) => typeof x === "string"));
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Formats milliseconds as Go's `time.Duration.String` does (`10s`, `1m30s`, `1h0m0s`, `500ms`),
 * because `/v1/agent/checks` reports `Interval` and `Timeout` in that form.
 */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${trimNumber(rest)}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${trimNumber(rest / 1000)}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}

function trimNumber(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
