// Helpers shared by the `tsdb-cli` tests.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What a finished process printed and how it ended. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file args…` to completion; a non-zero exit is a result, not an error. */
export function runProcess(file: string, args: readonly string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 64 << 20, ...(cwd === undefined ? {} : { cwd }) }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== "number") return reject(err);
      resolve({ code: err === null ? 0 : (err.code as number), stdout, stderr });
    });
  });
}

// Compiled tests live in dist/src/tsdb/cli; the CLI entry point is dist/src/cli/main.js.
const MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "cli", "main.js");

/** Runs `meridian tsdb args…` as a child process. */
export function meridianTsdb(args: readonly string[], cwd?: string): Promise<RunResult> {
  return runProcess(process.execPath, [MAIN, "tsdb", ...args], cwd);
}

/** Runs `promtool tsdb args…`. */
export function promtoolTsdb(args: readonly string[], cwd?: string): Promise<RunResult> {
  return runProcess("promtool", ["tsdb", ...args], cwd);
}

/** An analyze report split into its header lines and its titled, ranked lists. */
export interface AnalyzeReport {
  readonly header: readonly string[];
  readonly sections: ReadonlyMap<string, readonly string[]>;
}

/** Splits `tsdb analyze` output at its blank lines. */
export function parseAnalyze(text: string): AnalyzeReport {
  const [head = "", ...rest] = text.trimEnd().split("\n\n");
  const sections = new Map<string, string[]>();
  for (const block of rest) {
    const [title = "", ...lines] = block.split("\n");
    sections.set(title, title.startsWith("Compaction analysis") ? lines : joinEntries(lines));
  }
  return { header: head.split("\n"), sections };
}

/**
 * Asserts two analyze reports agree: identical headers and titles, and in every ranked list the
 * same figures in the same order with the same keys per figure. Keys that tie may be listed in
 * any order, since promtool ranks ties in Go's random map order. With `limit`, the keys of a tie
 * that the limit cuts are not compared.
 */
export function assertSameAnalysis(actual: string, expected: string, limit = Infinity): void {
  const a = parseAnalyze(actual);
  const e = parseAnalyze(expected);
  assert.deepEqual(a.header, e.header);
  assert.deepEqual([...a.sections.keys()], [...e.sections.keys()]);
  for (const [title, lines] of e.sections) {
    const mine = a.sections.get(title) ?? [];
    assert.deepEqual(mine.map(figure), lines.map(figure), `figures of "${title}"`);
    const [mineGroups, theirGroups] = [groupByFigure(mine), groupByFigure(lines)];
    // A list cut by --limit may end inside a tie, and each side keeps other keys of that tie.
    if (lines.length >= limit) {
      const last = figure(lines[lines.length - 1] as string);
      delete mineGroups[last];
      delete theirGroups[last];
    }
    assert.deepEqual(mineGroups, theirGroups, `keys of "${title}"`);
  }
}

// A label value may hold a newline, which promtool prints as is: such a line continues the entry above.
function joinEntries(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (/^\d+ /.test(l) || out.length === 0) out.push(l);
    else out[out.length - 1] += `\n${l}`;
  }
  return out;
}

function figure(line: string): string {
  return line.slice(0, line.indexOf(" "));
}

function groupByFigure(lines: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines) (out[figure(l)] ??= []).push(l.slice(l.indexOf(" ") + 1));
  for (const keys of Object.values(out)) keys.sort();
  return out;
}

/** The columns of a `tsdb list` row, split at runs of two or more spaces. */
export function listColumns(line: string): string[] {
  return line.trim().split(/ {2,}/);
}
