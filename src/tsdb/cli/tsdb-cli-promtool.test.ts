// `meridian tsdb` side by side with the real promtool 2.42 on the same inputs and directories.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { findBinary, requirePeer } from "../../../test/peers/index.js";
import { assertSameAnalysis, listColumns, meridianTsdb, promtoolTsdb, type RunResult } from "./testing.js";

const BASE_S = 1_700_000_000;

/**
 * OpenMetrics text that stresses the backfill: three 2 h windows, more than 5,000 samples (so
 * promtool commits in several batches), fractional and jittered timestamps, NaN, ±Inf, -0, extreme
 * values, escaped UTF-8 label values, a repeated sample and an out-of-order one inside a batch
 * (both dropped by promtool), and labels spelled in different orders.
 */
function awkwardOpenMetrics(): string {
  const lines: string[] = ["# HELP jitter_total A counter with jittered scrapes.", "# TYPE jitter_total counter"];
  let t = BASE_S;
  for (let i = 0; i < 1500; i++) {
    t += 15 + (((i * 7919) % 501) - 250) / 1000 + (i % 97 === 0 ? 70 : 0);
    const labels = i % 2 === 0 ? 'job="api",instance="a:9090"' : 'instance="a:9090",job="api"';
    lines.push(`jitter_total{${labels}} ${i * 1.5} ${t.toFixed(3)}`);
    if (i === 700) lines.push(`jitter_total{${labels}} ${i * 1.5} ${t.toFixed(3)}`, `jitter_total{${labels}} 1 ${(t - 5).toFixed(3)}`);
  }
  lines.push("# TYPE temperature gauge");
  const specials = ["NaN", "+Inf", "-Inf", "-0.0", "0", "1e-300", "1.7976931348623157e+308", "5e-324", "0.1", "-123.456"];
  for (let i = 0; i < 4000; i++) {
    const v = i % 37 === 0 ? specials[(i / 37) % specials.length] : String(20 + Math.sin(i / 50) * 5);
    lines.push(`temperature{room="a \\"b\\"",unit="°C",path="C:\\\\x\\nnew"} ${v} ${BASE_S + i * 5}`);
  }
  lines.push("# TYPE up gauge");
  for (let i = 0; i < 3; i++) lines.push(`up{job="api"} 1 ${BASE_S + 7200 * i + 1}`);
  lines.push("# EOF", "");
  return lines.join("\n");
}

describe("meridian tsdb beside promtool 2.42", () => {
  let work = "";
  let input = "";
  let ours = "";
  let theirs = "";
  let createdByUs: RunResult;
  let createdByThem: RunResult;

  before(async () => {
    if (findBinary("promtool") === undefined) return;
    work = await mkdtemp(join(tmpdir(), "meridian-tsdb-cli-"));
    input = join(work, "input.om");
    ours = join(work, "ours");
    theirs = join(work, "theirs");
    await writeFile(input, awkwardOpenMetrics());
    createdByUs = await meridianTsdb(["create-blocks-from", "openmetrics", input, ours]);
    createdByThem = await promtoolTsdb(["create-blocks-from", "openmetrics", input, theirs]);
    // promtool 2.42's dump opens the WAL directory and fails when it is missing.
    await mkdir(join(ours, "wal"));
    await mkdir(join(theirs, "wal"));
  });

  after(async () => {
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  it("create-blocks-from prints the same blocks as promtool but for ULID, chunk count and size", (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    assert.equal(createdByUs.code, 0, createdByUs.stderr);
    assert.equal(createdByThem.code, 0, createdByThem.stderr);
    const rows = (r: RunResult) => r.stdout.trimEnd().split("\n");
    const ignore = (line: string) => listColumns(line).filter((_, i) => i !== 0 && i !== 5 && i !== 7);
    assert.equal(rows(createdByUs).length, 5, "a header and four 2 h blocks");
    assert.equal(rows(createdByUs)[0], rows(createdByThem)[0]);
    assert.deepEqual(rows(createdByUs).slice(1).map(ignore), rows(createdByThem).slice(1).map(ignore));
  });

  it("promtool dumps our blocks exactly as it dumps its own, and as we dump both", async (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    const reference = await promtoolTsdb(["dump", theirs]);
    assert.equal(reference.code, 0, reference.stderr);
    assert.ok(reference.stdout.includes(" -0 ") && reference.stdout.includes("°C") && reference.stdout.includes(" NaN "));
    for (const [tool, dir] of [[promtoolTsdb, ours], [meridianTsdb, ours], [meridianTsdb, theirs]] as const) {
      const got = await tool(["dump", dir]);
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, reference.stdout);
    }
  });

  it("dump with --match and a time range selects what promtool selects", async (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    const cases = [
      // Not `.*` over the value with a newline: Meridian's matchers let `.` match newlines, as
      // Prometheus 3 does, while 2.42's do not.
      ["--match", 'temperature{room=~"a .*"}'],
      ["--match", '{job="api",__name__!="up"}', "--min-time", String(BASE_S * 1000 + 7_000_000), "--max-time", String(BASE_S * 1000 + 15_000_000)],
      ["--match", "{__name__=~'jitter.*|up'}", "--max-time", String(BASE_S * 1000 + 7_201_000)],
      ["--match", '{room=""}'],
      ["--match", "{}"],
    ];
    for (const args of cases) {
      const want = await promtoolTsdb(["dump", ...args, ours]);
      const got = await meridianTsdb(["dump", ...args, ours]);
      assert.deepEqual(got, want, args.join(" "));
    }
  });

  it("list and list -r print what promtool prints for our blocks", async (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    for (const flags of [[], ["-r"]]) {
      const got = await meridianTsdb(["list", ...flags, ours]);
      assert.deepEqual(got, await promtoolTsdb(["list", ...flags, ours]));
    }
  });

  it("analyze (default and named block, --limit, --extended) agrees with promtool on our blocks", async (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    const firstUlid = listColumns((await meridianTsdb(["list", ours])).stdout.split("\n")[1] as string)[0] as string;
    for (const args of [[ours], [ours, firstUlid], ["--limit", "2", ours], ["--extended", ours]]) {
      const want = await promtoolTsdb(["analyze", ...args]);
      const got = await meridianTsdb(["analyze", ...args]);
      assert.equal(got.code, want.code, got.stderr);
      assertSameAnalysis(got.stdout, want.stdout, args[0] === "--limit" ? 2 : Infinity);
    }
  });

  it("fails like promtool: same exit code and message", async (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    const dir = join(work, "errors");
    await mkdir(join(dir, "empty"), { recursive: true });
    await writeFile(join(dir, "afile"), "");
    await writeFile(join(dir, "noeof.om"), "a 1 1\n");
    await writeFile(join(dir, "nots.om"), "a 1\n# EOF\n");
    await writeFile(join(dir, "bad.om"), 'a{b="c} 1 1\n# EOF\n');
    let late = "";
    for (let i = 0; i < 5001; i++) late += `m ${i} ${BASE_S + i}\n`;
    await writeFile(join(dir, "ooo.om"), `${late}m 5 ${BASE_S + 1}\n# EOF\n`);
    await writeFile(join(dir, "dup.om"), `${late}m 5 ${BASE_S + 5000}\nm 6 ${BASE_S + 5000}\nm 7 ${BASE_S + 5001}\n# EOF\n`);
    const cases = [
      ["list", "missing"],
      ["list", "afile"],
      ["dump", "missing"],
      ["analyze", "missing"],
      ["analyze", "empty"],
      ["analyze", ours, "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["dump", "--match", "foo bar", ours],
      ["dump", "--match", '{a="\\xzz"}', ours],
      ["dump", "--match", "rate(x[5m])", ours],
      ["dump", "--match", "{a=", ours],
      ["create-blocks-from", "openmetrics", "missing.om", "out"],
      ["create-blocks-from", "openmetrics", "noeof.om", "out"],
      ["create-blocks-from", "openmetrics", "nots.om", "out"],
      ["create-blocks-from", "openmetrics", "bad.om", "out"],
      ["create-blocks-from", "openmetrics", "noeof.om", "afile"],
      ["create-blocks-from", "openmetrics", "ooo.om", "out-ooo"],
    ];
    for (const args of cases) {
      const want = await promtoolTsdb(args, dir);
      const got = await meridianTsdb(args, dir);
      assert.deepEqual({ code: got.code, stdout: got.stdout, stderr: got.stderr }, want, args.join(" "));
    }
    // Regex errors keep the position and prefix; the reason is worded by Meridian's RE2 translator.
    const want = await promtoolTsdb(["dump", "--match", '{a=~"("}', ours]);
    const got = await meridianTsdb(["dump", "--match", '{a=~"("}', ours]);
    assert.equal(got.code, want.code);
    assert.match(want.stderr, /^1:2: parse error: .*missing closing \)/);
    assert.match(got.stderr, /^1:2: parse error: .*missing closing \)/);
    // Within one batch a sample at the same time is dropped, not rejected: both keep the first value.
    const [a, b] = [join(dir, "dup-ours"), join(dir, "dup-theirs")];
    assert.equal((await meridianTsdb(["create-blocks-from", "openmetrics", "-q", "dup.om", a], dir)).code, 0);
    assert.equal((await promtoolTsdb(["create-blocks-from", "openmetrics", "-q", "dup.om", b], dir)).code, 0);
    await mkdir(join(b, "wal"));
    assert.equal((await meridianTsdb(["dump", a])).stdout, (await promtoolTsdb(["dump", b])).stdout);
  });
});
