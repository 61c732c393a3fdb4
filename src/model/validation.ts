/**
 * Metric and label name validation as Prometheus 3 does it. Under the `utf8` scheme (the
 * Prometheus 3 default) any non-empty, well-formed Unicode string is a valid name; the `legacy`
 * scheme keeps the old identifier rules, which also decide when PromQL and the text exposition
 * format must quote a name.
 */
import { InvalidLabelError } from "./errors.js";
import type { Labels } from "./labels.js";

/** Name of the label that carries a series' metric name. */
export const METRIC_NAME = "__name__";

/** Which names are valid: `utf8` (Prometheus 3's default) or `legacy` (identifiers only). */
export type ValidationScheme = "utf8" | "legacy";

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// With the u flag a surrogate pair is one code point, so this finds only lone surrogates,
// the one thing a JavaScript string can hold that UTF-8 cannot.
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `name` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`, the legacy metric name rule. */
export function isValidLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/** Whether `name` matches `[a-zA-Z_][a-zA-Z0-9_]*`, the legacy label name rule. */
export function isValidLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** Whether `name` is a valid metric name under `scheme`. */
export function isValidMetricName(name: string, scheme: ValidationScheme = "utf8"): boolean {
  return scheme === "legacy" ? isValidLegacyMetricName(name) : name !== "" && isWellFormed(name);
}

/**
 * Whether `name` is a valid label name under `scheme`. Names starting with `__` are reserved for
 * Prometheus's own use but are still valid, because relabelling and the TSDB need them.
 */
export function isValidLabelName(name: string, scheme: ValidationScheme = "utf8"): boolean {
  return scheme === "legacy" ? isValidLegacyLabelName(name) : name !== "" && isWellFormed(name);
}

/** Whether `name` is reserved for internal use (starts with `__`), as `__name__` and `__meta_*`. */
export function isReservedLabelName(name: string): boolean {
  return name.startsWith("__");
}

/** Whether `value` can be a label value: any well-formed Unicode string, including empty. */
export function isValidLabelValue(value: string): boolean {
  return isWellFormed(value);
}

/**
 * Whether PromQL and the text exposition format must write `name` in double quotes: metric
 * names may contain `:` unquoted, label names may not.
 */
export function needsQuoting(name: string, kind: "metric" | "label" = "label"): boolean {
  return kind === "metric" ? !isValidLegacyMetricName(name) : !isValidLegacyLabelName(name);
}

/**
 * Throws `InvalidLabelError` for the first label whose name, or whose value if it is the metric
 * name, is invalid under `scheme`, or whose value is not well-formed Unicode (as Prometheus's
 * `Labels.IsValid`).
 */
export function validateLabels(labels: Labels, scheme: ValidationScheme = "utf8"): void {
  for (const { name, value } of labels) {
    if (!isValidLabelName(name, scheme)) {
      throw new InvalidLabelError(name, `not a valid label name under the ${scheme} scheme`);
    }
    if (name === METRIC_NAME && !isValidMetricName(value, scheme)) {
      throw new InvalidLabelError(name, `${JSON.stringify(value)} is not a valid metric name under the ${scheme} scheme`);
    }
    if (!isValidLabelValue(value)) throw new InvalidLabelError(name, "value is not well-formed Unicode");
  }
}

function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
