/** How `formatTable` pads columns; the fields mean what they mean to Go's `text/tabwriter`. */
export interface TableStyle {
  /** Smallest width of a column, padding included. */
  readonly minWidth: number;
  /** Spaces added after the widest cell of a column. */
  readonly padding: number;
}

/**
 * Lays rows out as Go's `text/tabwriter` does with a space pad character when every row has the
 * same number of cells: each column but the last is as wide as its widest cell plus `padding`
 * (at least `minWidth`), cells are left-aligned, and the last cell is written as it is. Widths
 * count code points, as tabwriter counts runes. Returns the lines without newlines.
 */
export function formatTable(rows: readonly (readonly string[])[], style: TableStyle): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      const w = runeCount(row[c] as string) + style.padding;
      widths[c] = Math.max(widths[c] ?? style.minWidth, w);
    }
  }
  return rows.map((row) =>
    row.map((cell, c) => (c === row.length - 1 ? cell : cell + " ".repeat((widths[c] as number) - runeCount(cell)))).join(""),
  );
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
