export { ParseError } from "./errors.js";
export { formatFromContentType, contentTypeFor } from "./content-type.js";
export { parse } from "./families.js";
export { createParser } from "./create-parser.js";
export type { Entry, ExpositionParser } from "./parser.js";
export { serialize } from "./serialize.js";
export { formatGoFloat, parseGoFloat } from "./float.js";
export type { Exemplar, Format, MetricFamily, MetricType, Sample } from "./types.js";
