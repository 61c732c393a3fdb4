export { MeridianError, InvalidLabelError, RegexSyntaxError, DurationParseError } from "./errors.js";
export { Labels, METRIC_NAME, compareStrings } from "./labels.js";
export type { Label } from "./labels.js";
export {
  isValidLegacyMetricName,
  isValidLegacyLabelName,
  isValidMetricName,
  isValidLabelName,
  isValidLabelValue,
  isReservedLabelName,
  needsQuoting,
  validateLabels,
} from "./validation.js";
export type { ValidationScheme } from "./validation.js";
export { Matcher } from "./matcher.js";
export type { MatchType } from "./matcher.js";
export { translateRE2, compileRE2 } from "./re2.js";
export type { RE2Options } from "./re2.js";
export {
  parseDuration,
  parseDurationAllowNegative,
  parseDurationOrFloatSeconds,
  formatDuration,
  MAX_DURATION_MS,
} from "./duration.js";
export { goQuote } from "./quote.js";
export { prometheusLabelsHash, xxhash64 } from "./xxhash.js";
