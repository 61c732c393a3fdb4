import { compileRE2, isValidLegacyLabelName, RegexSyntaxError } from "../../model/index.js";
import { RelabelConfigError } from "./errors.js";
import { captureGroupNames, parseTemplate, type Template } from "./template.js";
import type { RelabelAction, RelabelConfig } from "./types.js";

/** A relabel rule ready to run: regex compiled and templates parsed once, when the config loads. */
export interface CompiledRelabel {
  /** The rule as configured. */
  readonly config: RelabelConfig;
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** The regex, anchored at both ends and with `.` matching newlines, as Prometheus compiles it. */
  readonly regex: RegExp;
  /** Whether the regex is the default `(.*)`, which matches anything with group 1 the whole input. */
  readonly matchesAll: boolean;
  readonly targetLabel: string;
  readonly target: Template;
  /** Whether the target label is a valid name when it needs no expansion (checked once here). */
  readonly literalTargetValid: boolean;
  readonly replacement: Template;
  /** The hashmod modulus as a bigint (1 for other actions). */
  readonly modulus: bigint;
}

// Actions that write `target_label` and so cannot run without it.
const NEEDS_TARGET: ReadonlySet<RelabelAction> = new Set(["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"]);

/**
 * Compiles relabel rules, checking what Prometheus's `relabel.Config.Validate` checks about the
 * fields the rules read; throws `RelabelConfigError` naming the rule. Validate's "field X may not
 * be set for action Y" checks need to know which fields were written, which only the config
 * loader sees, so they are left to it.
 */
export function compileRelabel(configs: readonly RelabelConfig[]): CompiledRelabel[] {
  return configs.map((config, index) => compileOne(config, index));
}

function compileOne(config: RelabelConfig, index: number): CompiledRelabel {
  const { action } = config;
  const targetLabel = config.targetLabel ?? "";
  const fail = (reason: string, cause?: unknown): never => {
    throw new RelabelConfigError(index, `${action}: ${reason}`, cause === undefined ? undefined : { cause });
  };

  if (NEEDS_TARGET.has(action) && targetLabel === "") fail("requires 'target_label'");
  if (action === "replace") {
    const valid = targetLabel.includes("$") ? isTemplatedLabelName(targetLabel) : isValidLegacyLabelName(targetLabel);
    if (!valid) fail(`${JSON.stringify(targetLabel)} is an invalid 'target_label'`);
  } else if (NEEDS_TARGET.has(action) && !isValidLegacyLabelName(targetLabel)) {
    fail(`${JSON.stringify(targetLabel)} is an invalid 'target_label'`);
  }
  if (action === "labelmap" && !isTemplatedLabelName(config.replacement)) {
    fail(`${JSON.stringify(config.replacement)} is an invalid 'replacement'`);
  }
  let modulus = 1n;
  if (action === "hashmod") {
    const m = config.modulus ?? 0;
    if (!Number.isSafeInteger(m) || m <= 0) fail(`requires a positive integer 'modulus', got ${String(config.modulus)}`);
    modulus = BigInt(m);
  }

  let regex: RegExp;
  try {
    regex = compileRE2(config.regex, { dotNL: true, anchored: true });
  } catch (err) {
    if (err instanceof RegexSyntaxError) return fail(err.message, err);
    throw err;
  }
  const groupNames = captureGroupNames(config.regex);
  // The templates are resolved against RE2's group numbering; a disagreement with what JavaScript
  // compiled would expand the wrong groups, which is worse than refusing the rule.
  const jsGroups = (new RegExp(`${regex.source}|`, "u").exec("") as RegExpExecArray).length;
  if (jsGroups !== groupNames.length) {
    fail(`cannot number the capture groups of ${JSON.stringify(config.regex)} (${groupNames.length - 1} vs ${jsGroups - 1})`);
  }

  const target = parseTemplate(targetLabel, groupNames);
  return {
    config,
    action,
    sourceLabels: config.sourceLabels,
    separator: config.separator,
    regex,
    matchesAll: config.regex === "(.*)",
    targetLabel,
    target,
    literalTargetValid: target.literal !== undefined && isValidLegacyLabelName(target.literal),
    replacement: parseTemplate(config.replacement, groupNames),
    modulus,
  };
}

/**
 * Whether `s` matches Prometheus's `relabelTarget` pattern
 * `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`: word characters and `$name` / `${name}`
 * references, not starting with a digit. Scanned by hand because that nested pattern backtracks
 * exponentially in JavaScript on long non-matching input.
 */
function isTemplatedLabelName(s: string): boolean {
  if (s === "") return false;
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === "$") {
      if (s[i + 1] === "{") {
        const close = s.indexOf("}", i + 2);
        if (close < 0 || !/^\w+$/.test(s.slice(i + 2, close))) return false;
        i = close + 1;
      } else {
        const m = /^\w+/.exec(s.slice(i + 1));
        if (m === null) return false;
        i += 1 + m[0].length;
      }
    } else if (/\w/.test(c) && !(i === 0 && c >= "0" && c <= "9")) {
      i++;
    } else {
      return false;
    }
  }
  return true;
}
