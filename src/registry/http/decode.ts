import { BadRequestError } from "../errors.js";

/**
 * A small schema language for Consul request bodies. Consul decodes bodies leniently about key
 * spelling (`Name`, `name` and `enable_tag_override` all work) but rejects unknown keys; zod has
 * no case-insensitive keys, so this decoder maps every spelling to the canonical PascalCase name,
 * checks types, and names the offending field in its error.
 */
export type FieldType =
  | "string"
  | "int"
  | "bool"
  | "duration"
  | "strings"
  | "stringMap"
  | "any"
  | { readonly object: Spec }
  | { readonly list: Spec }
  | { readonly map: Spec };

/** Canonical field name → type. */
export type Spec = Readonly<Record<string, FieldType>>;

/** Decodes `value` against `spec`; throws BadRequestError naming the path of the first problem. */
export function decodeObject(value: unknown, spec: Spec, path = ""): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new BadRequestError(`Request decode failed: ${path || "body"}: expected a JSON object`);
  }
  const canon = canonicalNames(spec);
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const name = canon.get(normalize(key));
    if (!name) throw new BadRequestError(`Request decode failed: ${join(path, key)}: unknown field "${key}"`);
    if (raw === null) continue;
    out[name] = decodeField(raw, spec[name] as FieldType, join(path, name));
  }
  return out;
}

function decodeField(raw: unknown, type: FieldType, path: string): unknown {
  const fail = (what: string): never => {
    throw new BadRequestError(`Request decode failed: ${path}: expected ${what}, got ${JSON.stringify(raw)?.slice(0, 60)}`);
  };
  if (type === "any") return raw;
  if (type === "string") return typeof raw === "string" ? raw : fail("a string");
  if (type === "duration") {
    // Consul accepts "10s" or a number of nanoseconds here.
    if (typeof raw === "string") return raw;
    if (typeof raw === "number" && Number.isFinite(raw)) return `${raw / 1e6}ms`;
    return fail("a duration");
  }
  if (type === "int") {
    if (typeof raw === "number" && Number.isInteger(raw)) return raw;
    if (typeof raw === "string" && /^-?\d+$/.test(raw)) return Number(raw);
    return fail("an integer");
  }
  if (type === "bool") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "false") return raw === "true";
    return fail("a boolean");
  }
  if (type === "strings") {
    if (!Array.isArray(raw)) return fail("a list of strings");
    return raw.map((x, i) => (typeof x === "string" ? x : decodeField(x, "string", `${path}[${i}]`)));
  }
  if (type === "stringMap") {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail("an object of strings");
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== "string") fail(`a string at key "${k}"`);
      out[k] = v as string;
    }
    return out;
  }
  if ("object" in type) return decodeObject(raw, type.object, path);
  if ("list" in type) {
    if (!Array.isArray(raw)) return fail("a list");
    return raw.map((x, i) => decodeObject(x, type.list, `${path}[${i}]`));
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail("an object");
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = decodeObject(v, type.map, `${path}.${k}`);
  return out;
}

function canonicalNames(spec: Spec): Map<string, string> {
  const m = new Map<string, string>();
  for (const name of Object.keys(spec)) m.set(normalize(name), name);
  return m;
}

// `EnableTagOverride`, `enableTagOverride` and `enable_tag_override` are the same key to Consul.
function normalize(key: string): string {
  return key.replace(/_/g, "").toLowerCase();
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
