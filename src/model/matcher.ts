/**
 * Label matchers as in PromQL selectors (`name="v"`, `!=`, `=~`, `!~`). Regular expressions are
 * RE2 (translated by `re2.ts`) and fully anchored with `.` matching newlines, exactly as
 * Prometheus wraps them in `^(?s:...)$`.
 */
import { goQuote } from "./quote.js";
import { compileRE2 } from "./re2.js";
import { needsQuoting } from "./validation.js";

/** The four PromQL match operators. */
export type MatchType = "=" | "!=" | "=~" | "!~";

// Go's regexp.QuoteMeta specials: a pattern without them (besides `|`) is a literal alternation.
const REGEX_META = /[\\.+*?()[\]{}^$]/;

/** One label matcher; regular expressions are compiled once, when the matcher is built. */
export class Matcher {
  /** The label name the matcher applies to. */
  readonly name: string;
  /** The match operator. */
  readonly type: MatchType;
  /** The value or RE2 pattern as written. */
  readonly value: string;
  readonly #test: (value: string) => boolean;

  /** Builds a matcher; throws `RegexSyntaxError` for a regex RE2 would refuse or JavaScript cannot run exactly. */
  constructor(type: MatchType, name: string, value: string) {
    this.type = type;
    this.name = name;
    this.value = value;
    if (type === "=" || type === "!=") {
      this.#test = (v) => v === value;
    } else {
      this.#test = regexTester(value);
    }
  }

  /** Whether a label value satisfies the matcher; an absent label has the value `""`. */
  matches(value: string): boolean {
    const hit = this.#test(value);
    return this.type === "=" || this.type === "=~" ? hit : !hit;
  }

  /**
   * For `=~` built from a literal alternation such as `a|b|c`, its alternatives; undefined
   * otherwise. Storage uses it to look up postings directly instead of scanning values.
   */
  setMatches(): readonly string[] | undefined {
    if (this.type !== "=~" && this.type !== "!~") return undefined;
    return literalAlternatives(this.value);
  }

  /** PromQL notation, e.g. `job=~"api|web"`, quoting names that are not legacy identifiers. */
  toString(): string {
    const name = needsQuoting(this.name) ? goQuote(this.name) : this.name;
    return `${name}${this.type}${goQuote(this.value)}`;
  }
}

// Prometheus's fast paths (FastRegexMatcher): literal alternations become a set lookup, and the
// match-all and match-non-empty patterns skip the regex engine.
function regexTester(pattern: string): (value: string) => boolean {
  const literals = literalAlternatives(pattern);
  if (literals !== undefined) {
    if (literals.length === 1) {
      const only = literals[0];
      return (v) => v === only;
    }
    const set = new Set(literals);
    return (v) => set.has(v);
  }
  if (pattern === ".*") return () => true;
  if (pattern === ".+") return (v) => v.length > 0;
  const re = compileRE2(pattern, { dotNL: true, anchored: true });
  return (v) => re.test(v);
}

function literalAlternatives(pattern: string): string[] | undefined {
  return REGEX_META.test(pattern) ? undefined : pattern.split("|");
}
