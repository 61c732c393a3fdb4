/**
 * The syntax tree of a filter. `contains` and `not contains` parse to `in` and `not in`, as they
 * do in go-bexpr 0.1.2, because the two spellings mean the same test with operands swapped.
 */

/** A match operator, spelled as in the language. */
export type MatchOperator = "==" | "!=" | "in" | "not in" | "is empty" | "is not empty" | "matches" | "not matches";

/** A parsed filter expression. */
export type FilterExpr =
  | { readonly kind: "or" | "and"; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: "not"; readonly operand: FilterExpr }
  | MatchExpr;

/** One test of a selected field; `value` is the literal's text after unquoting, absent for emptiness tests. */
export interface MatchExpr {
  readonly kind: "match";
  /** Path segments: `Meta["a b"].x` is `["Meta", "a b", "x"]`. */
  readonly selector: readonly string[];
  readonly op: MatchOperator;
  readonly value?: string;
}
