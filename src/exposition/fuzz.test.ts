import { test } from "node:test";
import assert from "node:assert/strict";
import { ParseError, parse } from "./index.js";

const CORPUS = [
  '# HELP foo_total A \\\\ help\\n.\n# TYPE foo_total counter\nfoo_total{a="1",b="x\\"y"} 1.5 123\nfoo_total 2\n\n# c\nh_bucket{le="+Inf"} 3\n',
  'x{a="1",} NaN\ny +Inf 5\nz{a="x\ny"} -0\n  \n#HELP x\n',
  '# HELP foo Help \\"x\\".\n# TYPE foo counter\n# UNIT foo_seconds seconds\nfoo_total{a="b"} 1 1.5 # {trace_id="abc"} 2 3.5\nfoo_created 1.6e9\n# TYPE h histogram\nh_bucket{le="1"} 1 # {} 1\nh_count 1\nh_sum 2\n# EOF\n',
  '# TYPE s stateset\ns{s="a"} 1\n# TYPE i info\ni_info{v="é✓"} 1\n# EOF',
];
const enc = new TextEncoder();
const SEEDS = CORPUS.map((s) => enc.encode(s));
const INTERESTING = enc.encode(' \t\n\r\0{}",=#\\_:.-+eEinfaINFNaN0123456789\u00ff');

/** Mulberry32: a tiny seeded PRNG so every run fuzzes the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(rand: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rand() * n);
  let b = Array.from(SEEDS[pick(SEEDS.length)] as Uint8Array);
  const steps = 1 + pick(4);
  for (let s = 0; s < steps; s++) {
    const at = pick(b.length + 1);
    switch (pick(6)) {
      case 0:
        if (b.length) {
          const k = Math.min(at, b.length - 1);
          b[k] = (b[k] as number) ^ (1 << pick(8));
        }
        break;
      case 1:
        b.splice(at, 0, INTERESTING[pick(INTERESTING.length)] as number);
        break;
      case 2:
        b.splice(at, 1 + pick(8));
        break;
      case 3:
        b = b.slice(0, at);
        break;
      case 4: {
        const other = SEEDS[pick(SEEDS.length)] as Uint8Array;
        const from = pick(other.length);
        b.splice(at, 0, ...other.subarray(from, from + pick(40)));
        break;
      }
      default:
        b[Math.min(at, Math.max(0, b.length - 1))] = pick(256);
    }
  }
  return Uint8Array.from(b);
}

test("fuzz: 100,000 mutated inputs either parse or throw ParseError", () => {
  const rand = prng(20240601);
  const started = Date.now();
  let accepted = 0;
  for (let i = 0; i < 100_000; i++) {
    const input = mutate(rand);
    for (const ct of [undefined, "application/openmetrics-text"]) {
      try {
        parse(input, ct);
        accepted++;
      } catch (e) {
        if (!(e instanceof ParseError)) {
          assert.fail(`non-ParseError ${String(e)} for ${JSON.stringify(new TextDecoder().decode(input))} (${ct ?? "text"})`);
        }
      }
    }
  }
  assert.ok(accepted > 1000, `only ${accepted} inputs accepted: the mutations are too destructive`);
  assert.ok(Date.now() - started < 60_000);
});

test("fuzz: pathological inputs stay linear", () => {
  const big = (s: string, n: number) => enc.encode(s.repeat(n));
  const cases: Uint8Array[] = [
    big("{", 200_000),
    big('a{b="', 50_000),
    big("\\", 200_000),
    big("# ", 100_000),
    big("a{b=\"c\",", 50_000),
    big("\0", 200_000),
    big("a 1\n", 100_000),
    enc.encode(`a{b="${"\\\\".repeat(100_000)}"} 1\n`),
  ];
  for (const c of cases) {
    for (const ct of [undefined, "application/openmetrics-text"]) {
      const t0 = Date.now();
      try {
        parse(c, ct);
      } catch (e) {
        assert.ok(e instanceof ParseError, String(e));
      }
      assert.ok(Date.now() - t0 < 2000, "parse took too long");
    }
  }
});
