import { OpenMetricsParser } from "./parser-openmetrics.js";
import type { ExpositionParser } from "./parser.js";
import { TextParser } from "./parser-text.js";
import type { Format } from "./types.js";

const encoder = new TextEncoder();

/**
 * Creates a streaming parser over `body`. A string is encoded as UTF-8 first. For text 0.0.4 the
 * bytes are copied once with the trailing newline Prometheus appends to every body.
 */
export function createParser(body: Uint8Array | string, format: Format): ExpositionParser {
  if (format === "openmetrics-1.0.0") {
    return new OpenMetricsParser(typeof body === "string" ? encoder.encode(body) : body);
  }
  let buf: Uint8Array;
  if (typeof body === "string") {
    buf = new Uint8Array(body.length * 3 + 1);
    const { written } = encoder.encodeInto(body, buf);
    buf[written] = 0x0a;
    buf = buf.subarray(0, written + 1);
  } else if (body[body.length - 1] === 0x0a) {
    // Almost every body already ends with the newline the lexer needs: no copy on the scrape path.
    buf = body;
  } else {
    buf = new Uint8Array(body.length + 1);
    buf.set(body);
    buf[body.length] = 0x0a;
  }
  return new TextParser(buf);
}
