/**
 * YAML scalar schemas that read values the way Prometheus's Go YAML decoder (yaml.v2) does, so a
 * file Prometheus accepts is accepted here: numbers and booleans may stand for strings, YAML 1.1
 * booleans (`yes`, `off`) are booleans, and `null` means "not set".
 */
import { z } from "zod";
import { isValidLabelName, isValidLabelValue, parseDuration } from "../model/index.js";
import { parseBase2Bytes } from "./units.js";

/** A string; yaml.v2 stores any scalar's text into a string field, so `job_name: 123` is "123". */
export const str = z.union([z.string(), z.number(), z.boolean()], { error: "expected a string" }).transform(String);

const YAML11_TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const YAML11_FALSE = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

/** A boolean, YAML 1.1 spellings included: the `yaml` package reads YAML 1.2, where `yes` is a string. */
export const bool = z.union([z.boolean(), z.string()], { error: "expected a boolean" }).transform((v, ctx) => {
  if (typeof v === "boolean") return v;
  if (YAML11_TRUE.has(v)) return true;
  if (YAML11_FALSE.has(v)) return false;
  ctx.addIssue({ code: "custom", message: `cannot unmarshal ${JSON.stringify(v)} into bool` });
  return z.NEVER;
});

/** A Go `uint` field: a non-negative integer. */
export const uint = z.number().int().nonnegative();

/** A Prometheus duration (`30s`, `1h30m`) in milliseconds. */
export const duration = str.transform((v, ctx) => {
  try {
    return parseDuration(v);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/** A `units.Base2Bytes` size (`10MB` = 10 MiB) in bytes. */
export const bytes = str.transform((v, ctx) => {
  try {
    return parseBase2Bytes(v);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/** A label name under the UTF-8 scheme (Prometheus 3's default): any non-empty valid string. */
export const labelName = str.refine((v) => isValidLabelName(v, "utf8"), {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid label name`,
});

/** A label value: any well-formed string. */
export const labelValue = str.refine(isValidLabelValue, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a valid label value`,
});

/** A `model.LabelSet` map; `null` is an empty set. */
export const labelSet = z
  .record(z.string(), labelValue)
  .nullish()
  .transform((v) => v ?? {})
  .superRefine((v, ctx) => {
    for (const name of Object.keys(v)) {
      if (!isValidLabelName(name, "utf8")) {
        ctx.addIssue({ code: "custom", message: `${JSON.stringify(name)} is not a valid label name`, path: [name] });
      }
    }
  });

/** A list of strings; `null` is an empty list. */
export const strList = z
  .array(str)
  .nullish()
  .transform((v) => v ?? []);

/** A map of string to string; `null` is an empty map. */
export const strMap = z
  .record(z.string(), str)
  .nullish()
  .transform((v) => v ?? {});

/**
 * A field Prometheus knows but Meridian does not implement: present is an error naming the
 * field, so a configuration is never half-applied.
 */
export function unsupported(name: string): z.ZodOptional<z.ZodType<never>> {
  return z
    .unknown()
    .transform((_v, ctx) => {
      ctx.addIssue({ code: "custom", message: `${name} is not supported by Meridian` });
      return z.NEVER;
    })
    .optional() as never;
}

/** Builds a shape of `unsupported` fields from their YAML names. */
export function unsupportedFields(names: readonly string[]): Record<string, z.ZodOptional<z.ZodType<never>>> {
  return Object.fromEntries(names.map((n) => [n, unsupported(n)]));
}
