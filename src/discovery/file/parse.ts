import { extname } from "node:path";
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { isValidLabelName, isValidLabelValue, type ValidationScheme } from "../../model/index.js";
import { FileSDFormatError } from "../errors.js";
import type { LabelSet, TargetGroup } from "../types.js";

/** Label that file_sd puts on every group: the path of the file it came from. */
export const FILEPATH_LABEL = "__meta_filepath";

/** Source of the `index`-th group of `path`, as Prometheus names it. */
export function fileSource(path: string, index: number): string {
  return `${path}:${index}`;
}

/**
 * Parses a file_sd file (`[{targets: [...], labels: {...}}]`, JSON or YAML by extension) the way
 * Prometheus does: unknown keys, non-string targets or values and invalid label names reject the
 * whole file. Each group gets `__meta_filepath` and the source `<path>:<index>`.
 */
export function parseFileSD(path: string, text: string, scheme: ValidationScheme = "utf8"): TargetGroup[] {
  const ext = extname(path).toLowerCase();
  const json = ext === ".json";
  let raw: unknown;
  if (json) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new FileSDFormatError(path, (err as Error).message);
    }
  } else if (ext === ".yml" || ext === ".yaml") {
    raw = parseYaml(path, text);
  } else {
    throw new FileSDFormatError(path, `unhandled file extension ${JSON.stringify(ext)}`);
  }
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw new FileSDFormatError(path, "expected a list of target groups");
  return raw.map((item: unknown, i) => toGroup(path, i, item, json, scheme));
}

function toGroup(path: string, index: number, item: unknown, json: boolean, scheme: ValidationScheme): TargetGroup {
  if (item === null) throw new FileSDFormatError(path, "nil target group item found");
  if (typeof item !== "object" || Array.isArray(item)) throw new FileSDFormatError(path, `group ${index}: expected an object`);
  let targets: unknown = null;
  let labels: unknown = null;
  for (const [key, value] of Object.entries(item)) {
    // Go's encoding/json matches field names case-insensitively; YAML's strict mode does not.
    const k = json ? key.toLowerCase() : key;
    if (k === "targets") targets = value;
    else if (k === "labels") labels = value;
    else throw new FileSDFormatError(path, `group ${index}: unknown field ${JSON.stringify(key)}`);
  }
  const out: Record<string, string> = {};
  if (labels !== null) {
    if (typeof labels !== "object" || Array.isArray(labels)) throw new FileSDFormatError(path, `group ${index}: labels must be a map`);
    for (const [name, value] of Object.entries(labels)) {
      if (!isValidLabelName(name, scheme)) throw new FileSDFormatError(path, `group ${index}: ${JSON.stringify(name)} is not a valid label name`);
      if (typeof value !== "string") throw new FileSDFormatError(path, `group ${index}: label ${JSON.stringify(name)} must be a string`);
      if (!isValidLabelValue(value)) throw new FileSDFormatError(path, `group ${index}: invalid value for label ${JSON.stringify(name)}`);
      out[name] = value;
    }
  }
  out[FILEPATH_LABEL] = path;
  const list: LabelSet[] = [];
  if (targets !== null) {
    if (!Array.isArray(targets)) throw new FileSDFormatError(path, `group ${index}: targets must be a list`);
    for (const t of targets as unknown[]) {
      if (typeof t !== "string") throw new FileSDFormatError(path, `group ${index}: every target must be a string`);
      list.push({ __address__: t });
    }
  }
  return { source: fileSource(path, index), targets: list, labels: out };
}

// YAML scalars are read as the text written, as Go's yaml.v2 does for string fields, so
// `port: 9100` and `up: true` become "9100" and "true" rather than being rejected or reformatted.
function parseYaml(path: string, text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw new FileSDFormatError(path, first.message);
  return fromYaml(doc, doc.contents);
}

function fromYaml(doc: Document, node: YamlNode | null): unknown {
  if (node === null) return null;
  if (isAlias(node)) return fromYaml(doc, node.resolve(doc) ?? null);
  if (isSeq(node)) return node.items.map((n) => fromYaml(doc, n as YamlNode | null));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = fromYaml(doc, pair.key as YamlNode | null);
      out[typeof key === "string" ? key : String(key)] = fromYaml(doc, pair.value as YamlNode | null);
    }
    return out;
  }
  if (isScalar(node)) {
    if (node.value === null) return null;
    return typeof node.value === "string" ? node.value : (node.source ?? String(node.value));
  }
  return null;
}
