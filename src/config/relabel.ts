/**
 * `relabel_configs` entries, validated as Prometheus 3's relabel.Config (UTF-8 label names): the
 * same defaults, the same action/field combinations refused, the same messages.
 */
import { z } from "zod";
import { compileRE2, isValidLabelName } from "../model/index.js";
import type { RelabelAction, RelabelConfig } from "../scrape/relabel/index.js";
import { checked, fail } from "./checked.js";
import { labelName, str, uint } from "./scalars.js";

const ACTIONS: ReadonlySet<string> = new Set<RelabelAction>([
  "replace",
  "keep",
  "drop",
  "keepequal",
  "dropequal",
  "hashmod",
  "labelmap",
  "labeldrop",
  "labelkeep",
  "lowercase",
  "uppercase",
]);

const DEFAULT_SEPARATOR = ";";
const DEFAULT_REGEX = "(.*)";
const DEFAULT_REPLACEMENT = "$1";

const NEEDS_TARGET: ReadonlySet<string> = new Set(["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"]);
const CASE_OR_EQUAL: ReadonlySet<string> = new Set(["lowercase", "uppercase", "keepequal", "dropequal"]);

/** One relabelling rule; `null` entries are refused, as Prometheus refuses them. */
export const relabelConfig = z
  .object({
    source_labels: z.array(labelName).nullish(),
    separator: str.nullish(),
    regex: str.nullish(),
    modulus: uint.nullish(),
    target_label: str.nullish(),
    replacement: str.nullish(),
    action: str.nullish(),
  })
  .strict()
  .transform(
    checked((raw): RelabelConfig => {
    const action = (raw.action ?? "replace").toLowerCase();
    if (!ACTIONS.has(action)) return fail(`unknown relabel action ${JSON.stringify(raw.action)}`, ["action"]);
    const regex = raw.regex ?? DEFAULT_REGEX;
    try {
      // Prometheus anchors the pattern and lets `.` match newlines (Prometheus 3).
      compileRE2(regex, { anchored: true, dotNL: true });
    } catch (err) {
      return fail((err as Error).message, ["regex"]);
    }
    const separator = raw.separator ?? DEFAULT_SEPARATOR;
    const replacement = raw.replacement ?? DEFAULT_REPLACEMENT;
    const modulus = raw.modulus ?? 0;
    const target = raw.target_label ?? "";
    const actionPath = raw.action === undefined || raw.action === null ? [] : ["action"];

    if (modulus === 0 && action === "hashmod") return fail("relabel configuration for hashmod requires non-zero modulus");
    if (NEEDS_TARGET.has(action) && target === "") {
      return fail(`relabel configuration for ${action} action requires 'target_label' value`);
    }
    // Under UTF-8 names a `$1`-style template is any non-empty string, so one check covers both.
    if (NEEDS_TARGET.has(action) && !isValidLabelName(target, "utf8")) {
      return fail(`${JSON.stringify(target)} is invalid 'target_label' for ${action} action`, ["target_label"]);
    }
    if (CASE_OR_EQUAL.has(action) && replacement !== DEFAULT_REPLACEMENT) {
      return fail(`'replacement' can not be set for ${action} action`, ["replacement"]);
    }
    if (action === "labelmap" && !isValidLabelName(replacement, "utf8")) {
      return fail(`${JSON.stringify(replacement)} is invalid 'replacement' for ${action} action`, ["replacement"]);
    }
    if (
      (action === "keepequal" || action === "dropequal") &&
      (regex !== DEFAULT_REGEX || modulus !== 0 || separator !== DEFAULT_SEPARATOR || replacement !== DEFAULT_REPLACEMENT)
    ) {
      return fail(`${action} action requires only 'source_labels' and \`target_label\`, and no other fields`, actionPath);
    }
    if (
      (action === "labeldrop" || action === "labelkeep") &&
      (raw.source_labels != null ||
        target !== "" ||
        modulus !== 0 ||
        separator !== DEFAULT_SEPARATOR ||
        replacement !== DEFAULT_REPLACEMENT)
    ) {
      return fail(`${action} action requires only 'regex', and no other fields`, actionPath);
    }
    return {
      sourceLabels: raw.source_labels ?? [],
      separator,
      regex,
      ...(modulus !== 0 ? { modulus } : {}),
      ...(target !== "" ? { targetLabel: target } : {}),
      replacement,
      action: action as RelabelAction,
    };
    }),
  );

/** A list of relabelling rules; `null` is an empty list. */
export const relabelConfigs = z
  .array(relabelConfig.nullable())
  .nullish()
  .transform((list, ctx) => {
    const out: RelabelConfig[] = [];
    for (const [i, rule] of (list ?? []).entries()) {
      if (rule === null) ctx.addIssue({ code: "custom", message: "empty or null relabeling rule", path: [i] });
      else out.push(rule);
    }
    return out;
  });
