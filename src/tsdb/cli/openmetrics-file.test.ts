import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createParser, ParseError, type ExpositionParser } from "../../exposition/index.js";
import { OpenMetricsFile } from "./openmetrics-file.js";

// Each entry as text; a failure as its reason (positions count from a piece's start, so they differ).
function describeEntries(p: ExpositionParser, out: string[]): "eof" | "failed" {
  for (;;) {
    try {
      const entry = p.next();
      if (entry === "eof") return "eof";
      if (entry === "series") {
        const ex = p.exemplar();
        const exText = ex === undefined ? "" : ` # ${ex.labels.toString()} ${ex.value} ${ex.timestampMs ?? "-"}`;
        out.push(`series ${p.labels().toString()} ${Object.is(p.value(), -0) ? "-0" : p.value()} ${p.timestampMs() ?? "-"}${exText}`);
      } else if (entry === "type") out.push(`type ${p.name()} ${p.type()}`);
      else if (entry === "help") out.push(`help ${p.name()} ${p.help()}`);
      else if (entry === "unit") out.push(`unit ${p.name()} ${p.unit()}`);
      else out.push(entry);
    } catch (err) {
      out.push(`error: ${err instanceof ParseError ? err.reason : String(err)}`);
      return "failed";
    }
  }
}

async function readInPieces(path: string, readChunkBytes: number): Promise<{ entries: string[]; pieces: number }> {
  const file = await OpenMetricsFile.open(path, { readChunkBytes });
  const entries: string[] = [];
  let pieces = 0;
  try {
    for await (const p of file.pieces()) {
      pieces++;
      if (describeEntries(p, entries) === "failed") break;
    }
  } finally {
    await file.close();
  }
  return { entries, pieces };
}

const LONG_VALUE = "x".repeat(200);

const INPUTS: [string, string][] = [
  [
    "metadata, labels, escapes, UTF-8, exemplars and a line longer than any read",
    [
      "# HELP http_requests_total Requests \\\\ served.",
      "# TYPE http_requests_total counter",
      "# UNIT temp_celsius celsius",
      'http_requests_total{code="200",path="C:\\\\x\\nnew \\"q\\""} 1027 1700000000.123 # {trace_id="abc"} 1 1700000000',
      `http_requests_total{code="500",long="${LONG_VALUE}"} -0.0 1700000001`,
      'temp_celsius{room="°C"} NaN 1700000002',
      "temp_celsius +Inf 1700000003",
      "# EOF",
      "",
    ].join("\n"),
  ],
  ["NUL bytes after a metadata line's newline are skipped", "# HELP a x\n\0\0a 1 1\n# EOF\n"],
  ["a NUL byte after a sample line fails", "a 1 1\n\0a 2 2\n# EOF\n"],
  ["NUL bytes after # EOF are accepted", "a 1 1\n# EOF\n\0\0"],
  ["data after # EOF and NUL bytes fails", "a 1 1\n# EOF\n\0\0b 1 1\n"],
  ["a second body after # EOF fails", "a 1 1\n# EOF\nb 1 1\n# EOF\n"],
  ["a blank line after # EOF fails", "a 1 1\n# EOF\n\n"],
  ["# EOF without a newline ends the file", "a 1 1\n# EOF"],
  ["no # EOF fails", "a 1 1\nb 2 2\n"],
  ["an empty file fails", ""],
  ["a newline inside a label value fails", 'a{b="c\nd"} 1 1\n# EOF\n'],
  ["a blank line fails", "a 1 1\n\nb 1 1\n# EOF\n"],
];

describe("OpenMetricsFile", () => {
  it("parses in pieces exactly what a parser over the whole file parses, whatever the read size", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-om-file-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    for (const [i, [name, text]] of INPUTS.entries()) {
      const path = join(dir, `${i}.om`);
      await writeFile(path, text);
      const whole: string[] = [];
      describeEntries(createParser(Buffer.from(text), "openmetrics-1.0.0"), whole);
      for (const chunk of [1, 2, 3, 5, 8, 13, 64, 1 << 20]) {
        const { entries } = await readInPieces(path, chunk);
        assert.deepEqual(entries, whole, `${name}, read ${chunk} bytes at a time`);
      }
    }
  });

  it("cuts a file into many pieces when reads are small, and keeps it whole when they are not", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-om-file-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "lines.om");
    const lines = Array.from({ length: 100 }, (_, i) => `m{i="${i}"} ${i} ${1_700_000_000 + i}`);
    await writeFile(path, `${lines.join("\n")}\n# EOF\n`);
    const small = await readInPieces(path, 16);
    const big = await readInPieces(path, 1 << 20);
    assert.ok(small.pieces > 50, `${small.pieces} pieces`);
    // The last line waits for the end of the file to be seen, so even one read gives two pieces.
    assert.equal(big.pieces, 2);
    assert.equal(small.entries.length, 100);
    assert.deepEqual(small.entries, big.entries);
  });

  it("fails to open a directory as reading a directory fails", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-om-file-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await assert.rejects(OpenMetricsFile.open(dir), { code: "EISDIR" });
    await assert.rejects(OpenMetricsFile.open(join(dir, "missing.om")), { code: "ENOENT" });
  });
});
