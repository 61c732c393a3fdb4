// When the queries are evaluated, relative to the data set's start, and the rule that keeps every
// window boundary off every sample and subquery point (see promql-differential.test.ts).

/** A range query's window: start and end (Unix seconds, both evaluated) and step (seconds). */
export interface RangeWindow {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** Instant and range evaluation times of a data set that starts at `t0` (Unix seconds, even). */
export interface QueryTimes {
  readonly t0: number;
  /** Instant evaluation times, cycled through by the query catalog. */
  readonly instants: readonly number[];
  /** Range windows, cycled through by the query catalog. */
  readonly ranges: readonly RangeWindow[];
}

/**
 * The times of a 3 h data set starting at `t0`: every evaluation time is an odd whole second
 * and every step an even number of seconds, so all outer evaluation times are odd.
 */
export function queryTimes(t0: number): QueryTimes {
  return {
    t0,
    instants: [
      t0 + 5407, // 1h30m07s, mid data
      t0 + 7263, // 2h01m03s
      t0 + 9001, // 2h30m01s
      t0 + 10_683, // 2h58m03s, just before the last scrape
      t0 + 6185, // 1h43m05s, just after the block boundary
      t0 + 10_985, // 3h03m05s, after the data, within the 5 m lookback
      t0 + 1201, // 20m01s, early
      t0 + 11_403, // 3h10m03s, beyond the lookback: mostly empty
    ],
    // About 30 steps each: enough to cross gaps, restarts and block boundaries while keeping the
    // test's run time modest.
    ranges: [
      { name: "1h/120s", start: t0 + 3607, end: t0 + 7207, step: 120 },
      { name: "40m/120s across the end", start: t0 + 9007, end: t0 + 11_407, step: 120 },
      { name: "50m/100s across the start", start: t0 - 593, end: t0 + 2407, step: 100 },
      { name: "17m/34s", start: t0 + 5001, end: t0 + 6021, step: 34 },
    ],
  };
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds of a PromQL duration such as `1h30m`; NaN if it has a millisecond part or is malformed. */
export function durationSeconds(text: string): number {
  if (!/^(\d+[ywdhms])+$/.test(text) || /ms/.test(text)) return NaN;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([ywdhms])/g)) total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
  return total;
}

/**
 * Problems with `expr` under the boundary rule: durations are whole seconds; offsets, subquery
 * steps and subquery ranges are even; `@` timestamps are odd. A subquery nested in another one
 * is evaluated at the outer one's (even) points, so its range must be odd instead: `nested`
 * marks such a query, whose first subquery (the innermost, written first) is checked that way.
 */
export function boundaryProblems(expr: string, nested = false): string[] {
  const problems: string[] = [];
  const even = (what: string, d: string) => {
    const s = durationSeconds(d);
    if (!Number.isInteger(s) || s % 2 !== 0) problems.push(`${what} ${d} is not an even number of seconds`);
  };
  // String literals (regexes such as "[12]") are not PromQL syntax to check.
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of code.matchAll(/offset\s+(-?)(\w+)/g)) even("offset", m[2] as string);
  let subqueries = 0;
  for (const m of code.matchAll(/\[(\w+)(?::(\w*))?\]/g)) {
    const range = m[1] as string;
    if (!Number.isInteger(durationSeconds(range))) problems.push(`range ${range} is not whole seconds`);
    if (m[2] === undefined) continue;
    if (m[2] !== "") even("subquery step", m[2]);
    const innermost = nested && subqueries++ === 0;
    const s = durationSeconds(range);
    if (innermost ? s % 2 !== 1 : s % 2 !== 0) problems.push(`subquery range ${range} should be ${innermost ? "odd" : "even"}`);
  }
  for (const m of code.matchAll(/@\s*(-?[\d.]+)/g)) {
    const t = Number(m[1]);
    if (!Number.isInteger(t) || Math.abs(t) % 2 !== 1) problems.push(`@ ${m[1]} is not an odd whole second`);
  }
  return problems;
}
