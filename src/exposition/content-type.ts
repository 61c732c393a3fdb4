import type { Format } from "./types.js";

const OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

/** RFC 2045 token characters, as Go's mime package accepts them. */
function isTokenChar(c: number): boolean {
  if (c <= 0x20 || c >= 0x7f) return false;
  // tspecials: ()<>@,;:\"/[]?=
  return "()<>@,;:\\\"/[]?=".indexOf(String.fromCharCode(c)) < 0;
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

/** Whether the parameter list after the media type is well formed (token=token or token="quoted"). */
function paramsValid(rest: string): boolean {
  let i = 0;
  const n = rest.length;
  while (i < n) {
    while (i < n && (rest[i] === " " || rest[i] === "\t")) i++;
    if (i === n) return true;
    if (rest[i] !== ";") return false;
    i++;
    while (i < n && (rest[i] === " " || rest[i] === "\t")) i++;
    // Go tolerates a trailing ";" (with optional whitespace).
    if (i === n) return true;
    let j = i;
    while (j < n && isTokenChar(rest.charCodeAt(j))) j++;
    if (j === i || rest[j] !== "=") return false;
    i = j + 1;
    if (rest[i] === '"') {
      i++;
      while (i < n && rest[i] !== '"') i += rest[i] === "\\" ? 2 : 1;
      if (i >= n) return false;
      i++;
    } else {
      j = i;
      while (j < n && isTokenChar(rest.charCodeAt(j))) j++;
      if (j === i) return false;
      i = j;
    }
  }
  return true;
}

/**
 * Picks the parser Prometheus 2.42 would use for a scrape response: OpenMetrics only for a well-formed
 * `application/openmetrics-text` media type (case-insensitive, any parameters); everything else,
 * including a missing or malformed header, falls back to text 0.0.4.
 */
export function formatFromContentType(contentType: string | undefined): Format {
  if (contentType === undefined || contentType === "") return "prometheus-text-0.0.4";
  const semi = contentType.indexOf(";");
  const mediaType = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  const slash = mediaType.indexOf("/");
  if (slash < 0 || !isToken(mediaType.slice(0, slash)) || !isToken(mediaType.slice(slash + 1))) {
    return "prometheus-text-0.0.4";
  }
  if (semi >= 0 && !paramsValid(contentType.slice(semi))) return "prometheus-text-0.0.4";
  return mediaType === OPENMETRICS_MEDIA_TYPE ? "openmetrics-1.0.0" : "prometheus-text-0.0.4";
}

/** The exact Content-Type header value to serve a body of `format` with. */
export function contentTypeFor(format: Format): string {
  return format === "openmetrics-1.0.0"
    ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
    : "text/plain; version=0.0.4; charset=utf-8";
}
