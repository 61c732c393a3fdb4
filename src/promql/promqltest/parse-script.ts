/**
 * Parses PromQL test scripts as upstream's `promqltest` does (see DSL.md): lines are trimmed, `#`
 * lines are blank, a blank line ends a block, and the first word picks the command.
 */
import { MeridianError, compileRE2, parseDuration, type Labels } from "../../model/index.js";
import { parsePromNumber, parseSeriesDescription } from "./series-description.js";
import { unquoteString } from "./string-literal.js";
import { isHistogram } from "./script.js";
import type {
  ClearCommand,
  Command,
  EvalCommand,
  ExpectedSeries,
  LoadCommand,
  LoadSeries,
  Script,
  SequenceValue,
  TextExpectation,
} from "./script.js";

/** A script that does not follow the test-script syntax; `line` is 1-based. */
export class ScriptParseError extends MeridianError {
  readonly line: number;

  constructor(line: number, reason: string, options?: ErrorOptions) {
    super("promqltest_parse", `line ${line}: ${reason}`, options);
    this.line = line;
  }
}

// The header patterns are upstream's, so a header splits into the same parts.
const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;
const RANGE_VECTOR_PREFIX = "expect range vector";
const STRING_PREFIX = "expect string";

/** Parses a whole script; throws ScriptParseError at the first bad line. */
export function parseScript(text: string): Script {
  const lines = text.split("\n").map((l) => {
    const t = l.trim();
    return t.startsWith("#") ? "" : t;
  });
  const commands: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l === "") continue;
    const word = (l.split(/[\t ]+/, 1)[0] as string).toLowerCase();
    if (word === "clear") {
      commands.push({ kind: "clear", line: i + 1 } satisfies ClearCommand);
    } else if (word.startsWith("load")) {
      const [next, cmd] = parseLoad(lines, i);
      commands.push(cmd);
      i = next;
    } else if (word.startsWith("eval")) {
      const [next, cmd] = parseEval(lines, i);
      commands.push(cmd);
      i = next;
    } else {
      throw new ScriptParseError(i + 1, `invalid command ${JSON.stringify(l)}`);
    }
  }
  return { commands };
}

function duration(line: number, what: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new ScriptParseError(line, `invalid ${what} ${JSON.stringify(text)}: ${(err as Error).message}`, { cause: err });
  }
}

function seriesLine(line: number, text: string): { labels: Labels; values: SequenceValue[] } {
  try {
    return parseSeriesDescription(text);
  } catch (err) {
    throw new ScriptParseError(line, (err as Error).message, { cause: err });
  }
}

// A start-timestamp line: the first word (labels without spaces) ends in `@st`.
function isStartTimestampLine(l: string): boolean {
  const space = l.search(/[ \t]/);
  return space >= 0 && l.slice(0, space).endsWith("@st");
}

// Returns the index of the block's last line and the command.
function parseLoad(lines: readonly string[], i: number): [number, LoadCommand] {
  const header = lines[i] as string;
  const m = PAT_LOAD.exec(header);
  if (m === null) throw new ScriptParseError(i + 1, "invalid load command. (load[_with_nhcb] <step:duration>)");
  const intervalMs = duration(i + 1, "step definition", m[2] as string);
  const headerLine = i + 1;
  const byLabels = new Map<string, LoadSeries>();
  // Start timestamps are only recognised: a float-only engine cannot use them, so evals touching
  // such series are skipped. `@st` alone applies to every later line of the block.
  let blockWideST = false;
  let pendingST: Labels | undefined;
  while (i + 1 < lines.length && lines[i + 1] !== "") {
    i++;
    const l = lines[i] as string;
    if (isStartTimestampLine(l)) {
      const selector = l.slice(0, l.search(/[ \t]/) - "@st".length);
      if (selector === "") blockWideST = true;
      else pendingST = seriesLine(i + 1, selector).labels;
      continue;
    }
    const { labels, values } = seriesLine(i + 1, l);
    if (pendingST !== undefined && !pendingST.equals(labels)) {
      throw new ScriptParseError(i, "@st metric does not match the following sample line metric");
    }
    const key = labels.toString();
    byLabels.delete(key);
    byLabels.set(key, { line: i + 1, labels, values, hasStartTimestamps: blockWideST || pendingST !== undefined });
    pendingST = undefined;
  }
  if (pendingST !== undefined) throw new ScriptParseError(i + 1, "@st line has no following sample line");
  return [i, { kind: "load", line: headerLine, intervalMs, withNHCB: m[1] === "with_nhcb", series: [...byLabels.values()] }];
}

function textExpectation(line: number, kind: string | undefined, text: string | undefined): TextExpectation {
  if (kind === undefined) return { kind: "any" };
  const body = (text ?? "").trim();
  if (kind === "msg") return { kind: "message", text: body };
  try {
    return { kind: "regex", source: body, regex: compileRE2(body) };
  } catch (err) {
    throw new ScriptParseError(line, `invalid regex ${body}: ${(err as Error).message}`, { cause: err });
  }
}

interface MutableExpectations {
  fail: TextExpectation[];
  warn: TextExpectation[];
  info: TextExpectation[];
  noWarn: boolean;
  noInfo: boolean;
  ordered: boolean;
}

function parseEval(lines: readonly string[], i: number): [number, EvalCommand] {
  const header = lines[i] as string;
  const line = i + 1;
  const instant = PAT_EVAL_INSTANT.exec(header);
  const range = PAT_EVAL_RANGE.exec(header);
  if (instant === null && range === null) {
    throw new ScriptParseError(line, "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered|_info] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn|_info] range from <from> to <to> step <step> <query>'");
  }
  let modifier: string | undefined;
  let query: string;
  let start: number;
  let end = 0;
  let step = 0;
  let evalTime: number;
  if (instant !== null) {
    modifier = instant[1];
    query = instant[3] as string;
    start = evalTime = duration(line, "timestamp definition", instant[2] ?? "");
  } else {
    const r = range as RegExpExecArray;
    modifier = r[1];
    query = r[5] as string;
    [start, end, step] = fromToStep(line, r[2] as string, r[3] as string, r[4] as string);
    evalTime = start;
  }
  const legacy = { fail: modifier === "fail", warn: modifier === "warn", info: modifier === "info", ordered: modifier === "ordered" };
  const expect: MutableExpectations = { fail: [], warn: [], info: [], noWarn: false, noInfo: false, ordered: false };
  let legacyFail: TextExpectation | undefined;
  let expectedScalar: SequenceValue | undefined;
  let expectedString: string | undefined;
  let expectRangeVector = false;
  let excludeFromRangeQuery = false;
  const expected = new Map<string, ExpectedSeries>();
  let position = 0;

  while (i + 1 < lines.length && lines[i + 1] !== "") {
    i++;
    const l = lines[i] as string;
    if (legacy.fail && l.startsWith("expected_fail_message")) {
      legacyFail = { kind: "message", text: l.slice("expected_fail_message".length).trim() };
      break;
    }
    if (legacy.fail && l.startsWith("expected_fail_regexp")) {
      legacyFail = textExpectation(i + 1, "regex", l.slice("expected_fail_regexp".length));
      break;
    }
    if (l.startsWith(RANGE_VECTOR_PREFIX)) {
      const m = PAT_EXPECT_RANGE.exec(l);
      if (m === null) throw new ScriptParseError(i + 1, `invalid range vector definition ${JSON.stringify(l)}`);
      [start, end, step] = fromToStep(i + 1, m[1] as string, m[2] as string, m[3] as string);
      evalTime = end;
      expectRangeVector = true;
      excludeFromRangeQuery = true;
      continue;
    }
    if (l.startsWith(STRING_PREFIX)) {
      const literal = l.slice(STRING_PREFIX.length);
      if (literal.trim() === "") throw new ScriptParseError(i + 1, "expected string literal not valid - a quoted string literal is required");
      try {
        expectedString = unquoteString(literal);
      } catch (err) {
        throw new ScriptParseError(i + 1, "expected string literal not valid - check that the string is correctly quoted", { cause: err });
      }
      excludeFromRangeQuery = true;
      continue;
    }
    // A series named `expect` must be written `expect{}`.
    if (l.split(" ")[0] === "expect") {
      addExpectation(i + 1, l, expect);
      continue;
    }
    const scalar = parsePromNumber(l);
    if (scalar !== undefined) {
      expectedScalar = scalar;
      break;
    }
    const { labels, values } = seriesLine(i + 1, l);
    if (values.length > 1 && instant !== null && !expectRangeVector) {
      throw new ScriptParseError(i + 1, "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query");
    }
    position++;
    const key = labels.toString();
    expected.delete(key);
    expected.set(key, { line: i + 1, position, labels, values });
  }
  const expectedSeries = [...expected.values()];
  const expectsHistograms = expectedSeries.some((s) => s.values.some(isHistogram));
  return [
    i,
    {
      kind: "eval", line, query, range: instant === null, start, end, step, evalTime, legacy, legacyFail, expect,
      expectedScalar, expectedString, expectedSeries, expectRangeVector, excludeFromRangeQuery, expectsHistograms,
    },
  ];
}

function fromToStep(line: number, from: string, to: string, step: string): [number, number, number] {
  const start = duration(line, "start timestamp definition", from);
  const end = duration(line, "end timestamp definition", to);
  if (end < start) throw new ScriptParseError(line, `invalid test definition, end timestamp (${to}) is before start timestamp (${from})`);
  return [start, end, duration(line, "step definition", step)];
}

function addExpectation(line: number, l: string, expect: MutableExpectations): void {
  const m = PAT_EXPECT.exec(l.trim());
  if (m === null) throw new ScriptParseError(line, "invalid expect statement, must match `expect <type> <match_type>: <string>` format");
  const type = m[1] as string;
  if (type === "ordered") expect.ordered = true;
  else if (type === "no_warn") expect.noWarn = true;
  else if (type === "no_info") expect.noInfo = true;
  else expect[type as "fail" | "warn" | "info"].push(textExpectation(line, m[2], m[3]));
  if (expect.info.length > 0 && expect.noInfo) throw new ScriptParseError(line, "invalid expect lines, info and no_info cannot be used together");
  if (expect.warn.length > 0 && expect.noWarn) throw new ScriptParseError(line, "invalid expect lines, warn and no_warn cannot be used together");
  if (expect.fail.length > 1) throw new ScriptParseError(line, "invalid expect lines, multiple expect fail lines are not allowed");
}
