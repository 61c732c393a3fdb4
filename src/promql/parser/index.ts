/**
 * The PromQL parser: text to a type-checked AST (`parseExpr`), the function table it checks
 * calls against, and the printers back to text (`exprToString`, `prettify`).
 */
export { parseExpr } from "./parse.js";
export type { ParseOptions } from "./parse.js";
export { FUNCTIONS, returnTypeOf } from "./functions.js";
export type { FunctionSignature } from "./functions.js";
export { exprToString } from "./printer.js";
export { prettify } from "./prettier.js";
