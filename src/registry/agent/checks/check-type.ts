import { InvalidCheckError } from "./errors.js";
import type { CheckDefinition, CheckType } from "./types.js";

/** Consul's wording, so operators find the same answer whichever agent refused them. */
const SCRIPTS_DISABLED =
  "Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true";

/** Fields of Consul check kinds this agent will never run, with the name used in errors. */
const UNSUPPORTED: readonly (readonly [string, string])[] = [
  ["H2PING", "H2PING"],
  ["UDP", "UDP"],
  ["OSService", "OSService"],
  ["AliasNode", "Alias"],
  ["AliasService", "Alias"],
];

const SCRIPT_FIELDS = ["Args", "ScriptArgs", "Script", "Shell", "DockerContainerID"];

function present(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === false) return false;
  return !(Array.isArray(value) && value.length === 0);
}

/**
 * Classifies a check definition, refusing what this agent cannot run with `InvalidCheckError`:
 * script checks, several kinds at once, a missing interval or TTL, and kinds Meridian lacks.
 * Fields beyond `CheckDefinition` are looked at only to refuse them, since decoded bodies may
 * carry Consul fields Meridian does not model.
 */
export function checkType(def: CheckDefinition): CheckType {
  const raw = def as unknown as Record<string, unknown>;
  const id = def.CheckID ?? "";
  if (SCRIPT_FIELDS.some((f) => present(raw[f]))) throw new InvalidCheckError(id, SCRIPTS_DISABLED);
  for (const [field, kind] of UNSUPPORTED) {
    if (present(raw[field])) {
      throw new InvalidCheckError(id, `${kind} checks are not supported by this agent (check ${JSON.stringify(id)})`);
    }
  }

  const kinds: CheckType[] = [];
  if (present(def.HTTP)) kinds.push("http");
  if (present(def.TCP)) kinds.push("tcp");
  if (present(def.GRPC)) kinds.push("grpc");
  if (kinds.length === 0 && def.TTLMs !== undefined) kinds.push("ttl");
  const [kind, ...others] = kinds;
  if (kind === undefined) {
    throw new InvalidCheckError(id, "check has no type: one of HTTP, TCP, GRPC or TTL must be set");
  }
  if (others.length > 0) {
    throw new InvalidCheckError(id, `check has more than one type (${kinds.map((k) => k.toUpperCase()).join(", ")}); set exactly one`);
  }

  const interval = def.IntervalMs ?? 0;
  const ttl = def.TTLMs ?? 0;
  if (interval > 0 && ttl > 0) throw new InvalidCheckError(id, "Interval and TTL cannot both be specified");
  if (kind === "ttl") {
    if (!(ttl > 0)) throw new InvalidCheckError(id, "TTL must be > 0 for TTL checks");
  } else if (!(interval > 0)) {
    throw new InvalidCheckError(id, "Interval must be > 0 for HTTP, TCP or GRPC checks");
  }
  if (def.OutputMaxSize !== undefined && def.OutputMaxSize < 0) {
    throw new InvalidCheckError(id, "OutputMaxSize must be positive");
  }
  for (const field of ["SuccessBeforePassing", "FailuresBeforeWarning", "FailuresBeforeCritical"] as const) {
    const n = def[field];
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
      throw new InvalidCheckError(id, `${field} must be a non-negative integer`);
    }
  }
  return kind;
}
