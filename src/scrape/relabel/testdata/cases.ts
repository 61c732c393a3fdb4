// Relabel cases shared by the table test (relabel.test.ts) and the cross-check against a real
// Prometheus (prometheus.test.ts). Rules are written with Prometheus's YAML keys so the
// cross-check can hand them to Prometheus exactly as written, defaults left out.
import type { RelabelAction, RelabelConfig } from "../types.js";

/** One `relabel_configs` entry as it would appear in prometheus.yml. */
export interface RuleSpec {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: RelabelAction;
}

/** Input labels, rules, and the expected output (`"dropped"` when a rule drops the set). */
export interface RelabelCase {
  readonly name: string;
  readonly input: Readonly<Record<string, string>>;
  readonly rules: readonly RuleSpec[];
  readonly want: Readonly<Record<string, string>> | "dropped";
  /**
   * Set when the outcome depends on `.` matching a newline, which Prometheus does since 3.0 (and
   * we do) but 2.x, the cross-check's peer, does not.
   */
  readonly dotMatchesNewline?: true;
}

/** A rule spec with Prometheus's defaults applied. */
export function toConfig(spec: RuleSpec): RelabelConfig {
  return {
    sourceLabels: spec.source_labels ?? [],
    separator: spec.separator ?? ";",
    regex: spec.regex ?? "(.*)",
    modulus: spec.modulus,
    targetLabel: spec.target_label,
    replacement: spec.replacement ?? "$1",
    action: spec.action ?? "replace",
  };
}

// Label keep rules keep `__.*` so that the cross-check's target keeps its address and intervals.
export const CASES: readonly RelabelCase[] = [
  // replace
  {
    name: "replace: expands ${1} twice",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "f(.*)", target_label: "d", replacement: "ch${1}-ch${1}" }],
    want: { a: "foo", d: "choo-choo" },
  },
  {
    name: "replace: several sources with a custom separator",
    input: { a: "foo", b: "bar" },
    rules: [{ source_labels: ["a", "b"], separator: "|", regex: "(.*)\\|(.*)", target_label: "c", replacement: "$2-$1" }],
    want: { a: "foo", b: "bar", c: "bar-foo" },
  },
  {
    name: "replace: a missing source label contributes an empty string",
    input: { a: "foo" },
    rules: [{ source_labels: ["a", "missing"], regex: "foo;", target_label: "c", replacement: "matched" }],
    want: { a: "foo", c: "matched" },
  },
  {
    name: "replace: no match leaves labels alone",
    input: { a: "boo" },
    rules: [{ source_labels: ["a"], regex: "f", target_label: "b", replacement: "bar" }],
    want: { a: "boo" },
  },
  {
    name: "replace: an empty result deletes the target label",
    input: { a: "foo", b: "old" },
    rules: [{ source_labels: ["a"], regex: "(f).*", target_label: "b", replacement: "$2" }],
    want: { a: "foo" },
  },
  {
    name: "replace: a target label expanding to nothing is skipped",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(b)?foo", target_label: "$1", replacement: "x" }],
    want: { a: "foo" },
  },
  {
    name: "replace: a target label expanding to an invalid name is skipped",
    input: { a: "1foo" },
    rules: [{ source_labels: ["a"], regex: "(.*)", target_label: "${1}", replacement: "v" }],
    want: { a: "1foo" },
  },
  {
    name: "replace: a target label expanding to a valid name",
    input: { a: "some-name" },
    rules: [{ source_labels: ["a"], regex: "some-(.*)", target_label: "label_$1", replacement: "v" }],
    want: { a: "some-name", label_name: "v" },
  },
  {
    name: "replace: $1x names a group called 1x",
    input: { a: "foo", b: "old" },
    rules: [{ source_labels: ["a"], regex: "(f)(o)o", target_label: "b", replacement: "$1x" }],
    want: { a: "foo" },
  },
  {
    name: "replace: ${1}x is group 1 then x",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(f)(o)o", target_label: "b", replacement: "${1}x" }],
    want: { a: "foo", b: "fx" },
  },
  {
    name: "replace: $1x finds a group named 1x",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "f(?P<1x>o+)", target_label: "b", replacement: "[$1x]" }],
    want: { a: "foo", b: "[oo]" },
  },
  {
    name: "replace: named groups, $name and ${name}",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(?P<first>f)(?P<rest>.*)", target_label: "b", replacement: "$rest/${first}" }],
    want: { a: "foo", b: "oo/f" },
  },
  {
    name: "replace: $$ is a dollar, a malformed reference stays literal, $01 is a name",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(foo)", target_label: "b", replacement: "$$1 ${1 $-$01|$1" }],
    want: { a: "foo", b: "$1 ${1 $-|foo" },
  },
  {
    name: "replace: (?i) makes the match case-insensitive",
    input: { a: "FOO" },
    rules: [{ source_labels: ["a"], regex: "(?i)f(o+)", target_label: "b", replacement: "$1" }],
    want: { a: "FOO", b: "OO" },
  },
  {
    name: "replace: no source labels and the default regex sets a constant",
    input: { a: "foo" },
    rules: [{ target_label: "env", replacement: "prod" }],
    want: { a: "foo", env: "prod" },
  },
  {
    name: "replace: dot matches a newline in the value",
    dotMatchesNewline: true,
    input: { a: "foo\nbar" },
    rules: [{ source_labels: ["a"], regex: "foo.(.*)", target_label: "b", replacement: "$1" }],
    want: { a: "foo\nbar", b: "bar" },
  },
  {
    name: "replace: later rules see earlier changes",
    input: { a: "foo" },
    rules: [
      { source_labels: ["a"], target_label: "c", replacement: "${1}-1" },
      { source_labels: ["c"], regex: "(.*)-1", target_label: "d", replacement: "$1-2" },
    ],
    want: { a: "foo", c: "foo-1", d: "foo-2" },
  },
  {
    name: "replace: the default rule copies a value and overwrites the target",
    input: { a: "foo", b: "bar" },
    rules: [{ source_labels: ["a"], target_label: "b" }],
    want: { a: "foo", b: "foo" },
  },
  // keep
  {
    name: "keep: a match keeps",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "f.*", action: "keep" }],
    want: { a: "foo" },
  },
  {
    name: "keep: no match drops",
    input: { a: "boo" },
    rules: [{ source_labels: ["a"], regex: "f.*", action: "keep" }],
    want: "dropped",
  },
  {
    name: "keep: the regex is anchored at both ends",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "oo", action: "keep" }],
    want: "dropped",
  },
  {
    name: "keep: a missing source label is the empty string",
    input: { a: "foo" },
    rules: [{ source_labels: ["missing"], regex: "", action: "keep" }],
    want: { a: "foo" },
  },
  {
    name: "keep: a missing source label does not match .+",
    input: { a: "foo" },
    rules: [{ source_labels: ["missing"], regex: ".+", action: "keep" }],
    want: "dropped",
  },
  {
    name: "keep: several sources with a custom separator",
    input: { a: "x", b: "y" },
    rules: [{ source_labels: ["a", "b"], separator: "/", regex: "x/y", action: "keep" }],
    want: { a: "x", b: "y" },
  },
  {
    name: "keep: (?i)",
    input: { a: "FOO" },
    rules: [{ source_labels: ["a"], regex: "(?i)foo", action: "keep" }],
    want: { a: "FOO" },
  },
  {
    name: "keep: dot matches a newline",
    dotMatchesNewline: true,
    input: { a: "foo\nbar" },
    rules: [{ source_labels: ["a"], regex: "foo.bar", action: "keep" }],
    want: { a: "foo\nbar" },
  },
  // drop
  {
    name: "drop: a match drops",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "f.*", action: "drop" }],
    want: "dropped",
  },
  {
    name: "drop: no match keeps",
    input: { a: "boo" },
    rules: [{ source_labels: ["a"], regex: "f.*", action: "drop" }],
    want: { a: "boo" },
  },
  {
    name: "drop: an empty regex drops a missing label",
    input: { a: "foo" },
    rules: [{ source_labels: ["missing"], regex: "", action: "drop" }],
    want: "dropped",
  },
  {
    name: "drop: alternation is anchored as a whole",
    input: { a: "foobar" },
    rules: [{ source_labels: ["a"], regex: "foo|bar", action: "drop" }],
    want: { a: "foobar" },
  },
  {
    name: "drop: an empty separator",
    input: { a: "x", b: "y" },
    rules: [{ source_labels: ["a", "b"], separator: "", regex: "xy", action: "drop" }],
    want: "dropped",
  },
  {
    name: "drop: (?i)",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], regex: "(?i)FOO", action: "drop" }],
    want: "dropped",
  },
  {
    name: "drop: sees a label set by an earlier rule",
    input: { a: "foo" },
    rules: [
      { target_label: "tmp", replacement: "yes" },
      { source_labels: ["tmp"], regex: "yes", action: "drop" },
    ],
    want: "dropped",
  },
  // keepequal
  {
    name: "keepequal: equal values keep",
    input: { a: "1", b: "1" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "keepequal" }],
    want: { a: "1", b: "1" },
  },
  {
    name: "keepequal: different values drop",
    input: { a: "1", b: "2" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "keepequal" }],
    want: "dropped",
  },
  {
    name: "keepequal: both missing are equal",
    input: { a: "1" },
    rules: [{ source_labels: ["x"], target_label: "y", action: "keepequal" }],
    want: { a: "1" },
  },
  {
    name: "keepequal: a missing source against a present target drops",
    input: { a: "1" },
    rules: [{ source_labels: ["x"], target_label: "a", action: "keepequal" }],
    want: "dropped",
  },
  {
    name: "keepequal: joined sources against the target",
    input: { a: "1", b: "2", c: "1;2" },
    rules: [{ source_labels: ["a", "b"], target_label: "c", action: "keepequal" }],
    want: { a: "1", b: "2", c: "1;2" },
  },
  {
    name: "keepequal: sees a label set by an earlier rule",
    input: { a: "1" },
    rules: [
      { target_label: "b", replacement: "1" },
      { source_labels: ["a"], target_label: "b", action: "keepequal" },
    ],
    want: { a: "1", b: "1" },
  },
  // dropequal
  {
    name: "dropequal: equal values drop",
    input: { a: "1", b: "1" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "dropequal" }],
    want: "dropped",
  },
  {
    name: "dropequal: different values keep",
    input: { a: "1", b: "2" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "dropequal" }],
    want: { a: "1", b: "2" },
  },
  {
    name: "dropequal: both missing are equal",
    input: { a: "1" },
    rules: [{ source_labels: ["x"], target_label: "y", action: "dropequal" }],
    want: "dropped",
  },
  {
    name: "dropequal: a missing source against a present target keeps",
    input: { a: "1" },
    rules: [{ source_labels: ["x"], target_label: "a", action: "dropequal" }],
    want: { a: "1" },
  },
  {
    name: "dropequal: joined sources against the target",
    input: { a: "1", b: "2", c: "1;2" },
    rules: [{ source_labels: ["a", "b"], target_label: "c", action: "dropequal" }],
    want: "dropped",
  },
  // hashmod
  {
    name: "hashmod: Prometheus's own test value",
    input: { a: "foo", b: "bar", c: "baz" },
    rules: [{ source_labels: ["c"], target_label: "d", modulus: 1000, action: "hashmod" }],
    want: { a: "foo", b: "bar", c: "baz", d: "976" },
  },
  {
    name: "hashmod: Prometheus's own test value with a newline",
    input: { a: "foo\nbar" },
    rules: [{ source_labels: ["a"], target_label: "b", modulus: 1000, action: "hashmod" }],
    want: { a: "foo\nbar", b: "734" },
  },
  {
    name: "hashmod: a missing source hashes the empty string",
    input: { a: "foo" },
    rules: [{ source_labels: ["missing"], target_label: "h", modulus: 10, action: "hashmod" }],
    want: { a: "foo", h: "8" },
  },
  {
    name: "hashmod: joined sources",
    input: { a: "x", b: "y" },
    rules: [{ source_labels: ["a", "b"], target_label: "h", modulus: 7, action: "hashmod" }],
    want: { a: "x", b: "y", h: "3" },
  },
  {
    name: "hashmod: modulus 1 is always 0",
    input: { a: "case" },
    rules: [{ source_labels: ["a"], target_label: "h", modulus: 1, action: "hashmod" }],
    want: { a: "case", h: "0" },
  },
  {
    name: "hashmod: a modulus beyond 32 bits needs all 64 bits",
    input: { a: "svc-a:9100" },
    rules: [{ source_labels: ["a"], target_label: "h", modulus: 2 ** 53 - 1, action: "hashmod" }],
    want: { a: "svc-a:9100", h: "1385437209778402" },
  },
  {
    name: "hashmod: overwrites the target and feeds a keep",
    input: { a: "a", h: "old" },
    rules: [
      { source_labels: ["a"], target_label: "h", modulus: 3, action: "hashmod" },
      { source_labels: ["h"], regex: "1", action: "keep" },
    ],
    want: { a: "a", h: "1" },
  },
  // labelmap
  {
    name: "labelmap: Prometheus's own example",
    input: { a: "foo", b1: "bar", b2: "baz" },
    rules: [{ regex: "(b.*)", replacement: "bar_${1}", action: "labelmap" }],
    want: { a: "foo", b1: "bar", b2: "baz", bar_b1: "bar", bar_b2: "baz" },
  },
  {
    name: "labelmap: meta labels to plain labels",
    input: { a: "foo", __meta_my_bar: "aaa", __meta_my_baz: "bbb", __meta_other: "ccc" },
    rules: [{ regex: "__meta_(my.*)", replacement: "$1", action: "labelmap" }],
    want: { a: "foo", __meta_my_bar: "aaa", __meta_my_baz: "bbb", __meta_other: "ccc", my_bar: "aaa", my_baz: "bbb" },
  },
  {
    name: "labelmap: when two names map to one, the later name wins",
    input: { x_a: "1", y_a: "2" },
    rules: [{ regex: "[xy]_(a)", replacement: "$1", action: "labelmap" }],
    want: { x_a: "1", y_a: "2", a: "2" },
  },
  {
    name: "labelmap: new labels are not mapped again within the rule",
    input: { a: "1" },
    rules: [{ regex: "(.*)", replacement: "${1}_x", action: "labelmap" }],
    want: { a: "1", a_x: "1" },
  },
  {
    name: "labelmap: overwrites an existing label",
    input: { src_team: "x", team: "y" },
    rules: [{ regex: "src_(team)", replacement: "$1", action: "labelmap" }],
    want: { src_team: "x", team: "x" },
  },
  {
    name: "labelmap: no match changes nothing",
    input: { a: "1" },
    rules: [{ regex: "zzz(.*)", replacement: "$1", action: "labelmap" }],
    want: { a: "1" },
  },
  {
    name: "labelmap: (?i) against names",
    input: { Tag_A: "1" },
    rules: [{ regex: "(?i)tag_(a)", replacement: "t_$1", action: "labelmap" }],
    want: { Tag_A: "1", t_A: "1" },
  },
  // labeldrop
  {
    name: "labeldrop: drops a matching name",
    input: { a: "1", b: "2", c: "3" },
    rules: [{ regex: "b", action: "labeldrop" }],
    want: { a: "1", c: "3" },
  },
  {
    name: "labeldrop: drops every matching name",
    input: { a: "1", b: "2", c: "3" },
    rules: [{ regex: "[ab]", action: "labeldrop" }],
    want: { c: "3" },
  },
  {
    name: "labeldrop: names are matched whole",
    input: { a: "1", ab: "2" },
    rules: [{ regex: "a", action: "labeldrop" }],
    want: { ab: "2" },
  },
  {
    name: "labeldrop: (?i)",
    input: { a: "1", b: "2" },
    rules: [{ regex: "(?i)B", action: "labeldrop" }],
    want: { a: "1" },
  },
  {
    name: "labeldrop: no match changes nothing",
    input: { a: "1" },
    rules: [{ regex: "zzz", action: "labeldrop" }],
    want: { a: "1" },
  },
  {
    name: "labeldrop: drops a label an earlier rule added",
    input: { a: "1" },
    rules: [
      { source_labels: ["a"], target_label: "tmp_x" },
      { source_labels: ["tmp_x"], target_label: "b" },
      { regex: "tmp_.*", action: "labeldrop" },
    ],
    want: { a: "1", b: "1" },
  },
  // labelkeep
  {
    name: "labelkeep: keeps matching names",
    input: { a: "1", b: "2", c: "3" },
    rules: [{ regex: "__.*|a|b", action: "labelkeep" }],
    want: { a: "1", b: "2" },
  },
  {
    name: "labelkeep: (?i) in one alternative",
    input: { A: "1", B: "2" },
    rules: [{ regex: "__.*|(?i:a)", action: "labelkeep" }],
    want: { A: "1" },
  },
  {
    name: "labelkeep: may keep nothing",
    input: { a: "1", b: "2" },
    rules: [{ regex: "__.*", action: "labelkeep" }],
    want: {},
  },
  {
    name: "labelkeep: names are matched whole",
    input: { a: "1", ab: "2" },
    rules: [{ regex: "__.*|a", action: "labelkeep" }],
    want: { a: "1" },
  },
  {
    name: "labelkeep: .* keeps everything",
    input: { a: "1", b: "2" },
    rules: [{ regex: ".*", action: "labelkeep" }],
    want: { a: "1", b: "2" },
  },
  // lowercase
  {
    name: "lowercase: ASCII",
    input: { a: "FooBAR" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "lowercase" }],
    want: { a: "FooBAR", b: "foobar" },
  },
  {
    name: "lowercase: joined sources",
    input: { a: "X", b: "Y" },
    rules: [{ source_labels: ["a", "b"], separator: "-", target_label: "c", action: "lowercase" }],
    want: { a: "X", b: "Y", c: "x-y" },
  },
  {
    name: "lowercase: an empty source deletes the target",
    input: { b: "X" },
    rules: [{ source_labels: ["missing"], target_label: "b", action: "lowercase" }],
    want: {},
  },
  {
    name: "lowercase: in place",
    input: { a: "ÄÖÜ" },
    rules: [{ source_labels: ["a"], target_label: "a", action: "lowercase" }],
    want: { a: "äöü" },
  },
  {
    name: "lowercase: simple case mapping (no final sigma, dotted I to i)",
    input: { a: "ΟΔΟΣ İ" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "lowercase" }],
    want: { a: "ΟΔΟΣ İ", b: "οδοσ i" },
  },
  // uppercase
  {
    name: "uppercase: ASCII",
    input: { a: "foo" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "uppercase" }],
    want: { a: "foo", b: "FOO" },
  },
  {
    name: "uppercase: sharp s and ligatures stay",
    input: { a: "straße ﬁ" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "uppercase" }],
    want: { a: "straße ﬁ", b: "STRAßE ﬁ" },
  },
  {
    name: "uppercase: alpha with ypogegrammeni maps to its titlecase letter",
    input: { a: "ᾳ ᾀ é" },
    rules: [{ source_labels: ["a"], target_label: "b", action: "uppercase" }],
    want: { a: "ᾳ ᾀ é", b: "ᾼ ᾈ É" },
  },
  {
    name: "uppercase: an empty source deletes the target",
    input: { b: "x" },
    rules: [{ source_labels: ["missing"], target_label: "b", action: "uppercase" }],
    want: {},
  },
  {
    name: "uppercase: joined sources",
    input: { a: "x", b: "y" },
    rules: [{ source_labels: ["a", "b"], target_label: "c", action: "uppercase" }],
    want: { a: "x", b: "y", c: "X;Y" },
  },
];
