import { readFile } from "node:fs/promises";
import { LineCounter, isMap, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { ConfigError } from "./errors.js";

/**
 * Parses YAML text and validates it against a strict zod schema. Every failure is a ConfigError
 * that names the field and the 1-based line it is on: an unknown field is an error, never ignored.
 */
export function parseYamlConfig<S extends z.ZodType>(text: string, schema: S, file?: string): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new ConfigError(`yaml: ${firstError.message.split("\n")[0]}`, { file, line });
  }
  const value: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // An unknown field explains more than the missing one it was probably meant to be.
  const issue = result.error.issues.find((i) => i.code === "unrecognized_keys") ?? result.error.issues[0];
  if (!issue) throw new ConfigError("invalid configuration", { file });
  const path = issue.path.map(String);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    path.push(key);
    message = `field ${key} not found in type ${describe(issue.path)}`;
  } else if (issue.code === "invalid_type" && valueAt(value, path) === undefined) {
    message = `${path.join(".")}: missing required field`;
  } else if (path.length > 0) {
    message = `${path.join(".")}: ${issue.message}`;
  }
  const node = nodeAt(doc.contents, path);
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  throw new ConfigError(message, { file, line });
}

/** Reads and validates a YAML configuration file (see `parseYamlConfig`). */
export async function loadYamlConfig<S extends z.ZodType>(file: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, { encoding: "utf8", signal });
  } catch (err) {
    throw new ConfigError(`cannot read: ${(err as Error).message}`, { file, cause: err });
  }
  return parseYamlConfig(text, schema, file);
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const step of path) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[step] : undefined;
  return v;
}

function describe(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "config" : path.map(String).join(".");
}

// Finds the YAML node at a path, falling back to the deepest existing ancestor, so an error can
// point at a line even when the field itself is missing. For an unknown key, the key node wins.
function nodeAt(root: unknown, path: readonly string[]): YamlNode | undefined {
  let node = root as YamlNode | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === step);
      if (!pair) return node;
      node = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
      if (step === path[path.length - 1] && pair.key) return pair.key as YamlNode;
    } else if (isSeq(node)) {
      const item = node.items[Number(step)] as YamlNode | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}
