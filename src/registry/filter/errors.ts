import { MeridianError } from "../../model/index.js";

/**
 * Raised when a filter expression does not parse; the message is go-bexpr's own text, such as
 * `1:8 (7): no match found, expected: "!=", "==" or [ \t\r\n]`, which Consul returns in its 400
 * body after "Failed to create boolean expression evaluator: ".
 */
export class FilterSyntaxError extends MeridianError {
  /** The expression as given. */
  readonly expression: string;
  /** 1-based line of the first error. */
  readonly line: number;
  /** Column of the first error, counted in code points from 1 as go-bexpr does. */
  readonly column: number;
  /** Byte offset (UTF-8) of the first error, the number go-bexpr prints in parentheses. */
  readonly offset: number;

  constructor(expression: string, position: { line: number; col: number; offset: number }, message: string) {
    super("invalid_filter", message);
    this.expression = expression;
    this.line = position.line;
    this.column = position.col;
    this.offset = position.offset;
  }
}

/**
 * Raised when a filter parses but cannot apply to the endpoint's data: an unknown selector, an
 * operator the field does not support, a value that does not convert to the field's type, or a
 * regular expression that does not compile. The message follows go-bexpr's wording.
 */
export class FilterValidationError extends MeridianError {
  /** The offending selector, dotted (`ServiceMeta.env`). */
  readonly selector: string;

  constructor(selector: string, message: string, options?: ErrorOptions) {
    super("invalid_filter", message, options);
    this.selector = selector;
  }
}

/**
 * Raised while evaluating when the data does not have the shape the schema promised (a string
 * where a list was declared); this is a bug in the caller, not in the user's expression.
 */
export class FilterEvaluationError extends MeridianError {
  /** The selector being evaluated, dotted. */
  readonly selector: string;

  constructor(selector: string, message: string) {
    super("filter_evaluation_failed", message);
    this.selector = selector;
  }
}
