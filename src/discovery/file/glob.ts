import { lstat, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DiscoveryConfigError } from "../errors.js";

// Prometheus accepts a file_sd pattern only when a `*` (if any) is in the last path element and
// the name ends in a JSON or YAML extension.
const FILE_SD_NAME = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

/** Throws `DiscoveryConfigError` unless `pattern` is a file_sd path Prometheus would accept. */
export function checkFileSDPattern(pattern: string): void {
  if (!FILE_SD_NAME.test(pattern)) throw new DiscoveryConfigError(`path name ${JSON.stringify(pattern)} is not valid for file discovery`);
}

/** The directory whose entries can match `pattern`, which is what has to be watched. */
export function patternDirectory(pattern: string): string {
  return dirname(pattern);
}

/**
 * Lists the files matching `pattern`, sorted, as Go's `filepath.Glob` does for a pattern whose
 * wildcards are all in the last element: a pattern without wildcards yields itself if it exists,
 * a missing directory yields nothing.
 */
export async function globFiles(pattern: string, signal: AbortSignal): Promise<string[]> {
  signal.throwIfAborted();
  const base = basename(pattern);
  if (!/[*?[\\]/.test(base)) {
    try {
      await lstat(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const match = globMatcher(base);
  const dir = dirname(pattern);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => match(n))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Compiles one path element of a Go `filepath.Match` pattern: `*` any run of characters, `?` one
 * character, `[...]`/`[^...]` a class with ranges, `\` escapes. Throws on a malformed class.
 */
export function globMatcher(element: string): (name: string) => boolean {
  let re = "";
  for (let i = 0; i < element.length; i++) {
    const c = element[i] as string;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      i++;
      if (i >= element.length) throw new DiscoveryConfigError(`bad pattern ${JSON.stringify(element)}: trailing backslash`);
      re += escapeRe(element[i] as string);
    } else if (c === "[") {
      const end = classEnd(element, i);
      let body = element.slice(i + 1, end);
      const negated = body.startsWith("^");
      if (negated) body = body.slice(1);
      if (body === "") throw new DiscoveryConfigError(`bad pattern ${JSON.stringify(element)}: empty character class`);
      re += `[${negated ? "^" : ""}${body.replace(/\\(.)/gu, "$1").replace(/[\]\\^]/gu, "\\$&")}]`;
      i = end;
    } else re += escapeRe(c);
  }
  const compiled = new RegExp(`^${re}$`, "u");
  return (name) => compiled.test(name);
}

function classEnd(element: string, start: number): number {
  for (let j = start + 1; j < element.length; j++) {
    if (element[j] === "\\") j++;
    else if (element[j] === "]") return j;
  }
  throw new DiscoveryConfigError(`bad pattern ${JSON.stringify(element)}: unterminated character class`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}
