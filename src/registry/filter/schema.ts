/**
 * Schemas describe which selectors an endpoint accepts and what type each field has. go-bexpr
 * derives the same information from the Go struct being filtered (its "field configurations");
 * Meridian's data are plain JSON objects, so the types are written down instead.
 */

/** Scalar field types; the names follow Go's kinds because coercion follows Go's parsers. */
export type ScalarKind = "string" | "bool" | "int" | "uint" | "float";

/** The type of one field. */
export type FieldSchema =
  | { readonly kind: ScalarKind }
  | { readonly kind: "list"; readonly element: FieldSchema }
  | { readonly kind: "map"; readonly value: FieldSchema }
  | { readonly kind: "struct"; readonly fields: FilterSchema };

/** The fields of one filtered object, keyed by their JSON (PascalCase) names. */
export type FilterSchema = Readonly<Record<string, FieldSchema>>;

/** A string field. */
export const STRING: FieldSchema = { kind: "string" };
/** A boolean field. */
export const BOOL: FieldSchema = { kind: "bool" };
/** A signed integer field (Go `int`). */
export const INT: FieldSchema = { kind: "int" };
/** An unsigned integer field (Go `uint64`). */
export const UINT: FieldSchema = { kind: "uint" };
/** A floating-point field (Go `float64`). */
export const FLOAT: FieldSchema = { kind: "float" };

/** A list whose elements have type `element`. */
export function listOf(element: FieldSchema): FieldSchema {
  return { kind: "list", element };
}

/** A map with string keys and values of type `value`. */
export function mapOf(value: FieldSchema): FieldSchema {
  return { kind: "map", value };
}

/** A nested object. */
export function structOf(fields: FilterSchema): FieldSchema {
  return { kind: "struct", fields };
}
