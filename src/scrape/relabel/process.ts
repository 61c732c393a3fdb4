import { createHash } from "node:crypto";
import { compareStrings, isValidLegacyLabelName, Labels } from "../../model/index.js";
import type { Label } from "../../model/index.js";
import { goToLower, goToUpper } from "./case.js";
import type { CompiledRelabel } from "./compile.js";
import { expandTemplate } from "./template.js";

/**
 * Applies `rules` in order to `labels`, each rule seeing the changes of the ones before it, and
 * returns the result, or undefined when a rule dropped the set. Returns `labels` itself when no
 * rule changed anything, so the common keep/drop-only path allocates no new label set.
 */
export function relabel(labels: Labels, rules: readonly CompiledRelabel[]): Labels | undefined {
  const b = new LabelsBuilder(labels);
  for (const rule of rules) {
    if (!apply(rule, b)) return undefined;
  }
  return b.labels();
}

function apply(rule: CompiledRelabel, b: LabelsBuilder): boolean {
  const val = sourceValue(rule, b);
  switch (rule.action) {
    case "drop":
      return !matches(rule, val);
    case "keep":
      return matches(rule, val);
    case "dropequal":
      return b.get(rule.targetLabel) !== val;
    case "keepequal":
      return b.get(rule.targetLabel) === val;
    case "replace": {
      const groups = rule.matchesAll ? [val, val] : rule.regex.exec(val);
      if (groups === null) return true;
      const target = expandTemplate(rule.target, groups);
      // Prometheus leaves the labels alone when expansion yields an invalid name.
      const valid = rule.target.literal === undefined ? isValidLegacyLabelName(target) : rule.literalTargetValid;
      if (!valid) return true;
      b.set(target, expandTemplate(rule.replacement, groups));
      return true;
    }
    case "lowercase":
      b.set(rule.targetLabel, goToLower(val));
      return true;
    case "uppercase":
      b.set(rule.targetLabel, goToUpper(val));
      return true;
    case "hashmod": {
      // Prometheus reads the last 8 bytes of the MD5 digest as a big-endian uint64.
      const digest = createHash("md5").update(val, "utf8").digest();
      b.set(rule.targetLabel, (digest.readBigUInt64BE(8) % rule.modulus).toString());
      return true;
    }
    case "labelmap": {
      // Every label is read as it was before this rule (Prometheus iterates a snapshot), in name
      // order, so when two names map to the same new name the later one wins.
      const snapshot = b.labels();
      b.reset(snapshot);
      for (let i = 0; i < snapshot.size; i++) {
        const m = rule.regex.exec(snapshot.nameAt(i));
        if (m !== null) b.set(expandTemplate(rule.replacement, m), snapshot.valueAt(i));
      }
      return true;
    }
    case "labeldrop":
    case "labelkeep": {
      const snapshot = b.labels();
      b.reset(snapshot);
      const keepMatching = rule.action === "labelkeep";
      for (let i = 0; i < snapshot.size; i++) {
        const name = snapshot.nameAt(i);
        if (rule.regex.test(name) !== keepMatching) b.set(name, "");
      }
      return true;
    }
  }
}

function matches(rule: CompiledRelabel, val: string): boolean {
  return rule.matchesAll || rule.regex.test(val);
}

// Source label values joined by the separator; a missing label contributes "".
function sourceValue(rule: CompiledRelabel, b: LabelsBuilder): string {
  const names = rule.sourceLabels;
  if (names.length === 0) return "";
  let val = b.get(names[0] as string);
  for (let i = 1; i < names.length; i++) val += rule.separator + b.get(names[i] as string);
  return val;
}

/**
 * Pending changes over an immutable base label set, as Prometheus's labels.Builder: reads see the
 * changes, and the sorted result is built only when something actually changed.
 */
class LabelsBuilder {
  #base: Labels;
  // Changed names and their new values; "" marks a deletion. Few per rule set, so a linear scan.
  #names: string[] = [];
  #values: string[] = [];

  constructor(base: Labels) {
    this.#base = base;
  }

  get(name: string): string {
    const i = this.#names.indexOf(name);
    return i >= 0 ? (this.#values[i] as string) : this.#base.get(name);
  }

  /** Sets `name` to `value`; an empty value deletes it. Writing the current value is not a change. */
  set(name: string, value: string): void {
    const i = this.#names.indexOf(name);
    if (i >= 0) {
      this.#values[i] = value;
      return;
    }
    if (this.#base.get(name) === value) return;
    this.#names.push(name);
    this.#values.push(value);
  }

  /** Starts over from `base`, dropping pending changes (callers pass the result of `labels()`). */
  reset(base: Labels): void {
    this.#base = base;
    if (this.#names.length > 0) {
      this.#names = [];
      this.#values = [];
    }
  }

  /** The base with the changes applied, merged in name order. */
  labels(): Labels {
    const n = this.#names.length;
    if (n === 0) return this.#base;
    const names = this.#names;
    // Insertion sort: a rule set changes a handful of labels, and this runs per sample.
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      let j = order.length;
      while (j > 0 && compareStrings(names[order[j - 1] as number] as string, names[i] as string) > 0) j--;
      order.splice(j, 0, i);
    }
    const base = this.#base;
    const out: Label[] = [];
    let bi = 0;
    for (const ci of order) {
      const name = names[ci] as string;
      while (bi < base.size && compareStrings(base.nameAt(bi), name) < 0) {
        out.push({ name: base.nameAt(bi), value: base.valueAt(bi) });
        bi++;
      }
      if (bi < base.size && base.nameAt(bi) === name) bi++;
      const value = this.#values[ci] as string;
      if (value !== "") out.push({ name, value });
    }
    for (; bi < base.size; bi++) out.push({ name: base.nameAt(bi), value: base.valueAt(bi) });
    return Labels.fromSortedUnchecked(out);
  }
}
