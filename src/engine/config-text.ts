import { isMap, isPair, isScalar, parseDocument, visit } from "yaml";

// Fields of Prometheus's config.Secret type, shown as `<secret>` by `/api/v1/status/config`.
const SECRET_KEYS = new Set(["password", "credentials", "bearer_token", "client_secret", "secret_key", "token"]);
// `key` is a secret only inside `tls_config` (other `key`s are plain).
const SECRET_IN_TLS = "key";
const HIDDEN = "<secret>";

/**
 * A loaded `prometheus.yml` as `/api/v1/status/config` shows it: the file's own text, byte for
 * byte, except that every secret value reads `<secret>`, as Prometheus marshals its Secret fields.
 * Text that does not parse as YAML is returned as is (a file that loaded always parses).
 */
export function configForDisplay(text: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text;
  const ranges: [number, number][] = [];
  visit(doc, {
    Pair(_key, pair, path) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || pair.value.range === undefined || pair.value.range === null) return;
      if (pair.value.value === null || pair.value.value === "") return;
      const key = String(pair.key.value);
      if (SECRET_KEYS.has(key) || (key === SECRET_IN_TLS && parentKey(path) === "tls_config")) {
        ranges.push([pair.value.range[0], pair.value.range[1]]);
      }
    },
  });
  let out = text;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + HIDDEN + out.slice(end);
  return out;
}

// The key under which the map holding the current pair sits.
function parentKey(path: readonly unknown[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i];
    if (isPair(node) && isScalar(node.key) && isMap(node.value)) return String(node.key.value);
  }
  return undefined;
}
