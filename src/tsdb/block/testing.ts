import { formatGoFloat } from "../../exposition/index.js";
import { Labels } from "../../model/index.js";
import { mergeSeriesSets, seriesFromSamples, staleNaN, type Series, type SeriesSet } from "../../storage/index.js";
import { UlidGenerator } from "../meta/index.js";

/** Prints a series set as `promtool tsdb dump` does: `{labels} value timestamp` per sample. */
export function dumpLines(set: SeriesSet): string[] {
  const out: string[] = [];
  while (set.next()) {
    const s = set.at();
    const it = s.iterator();
    const labels = s.labels.toString();
    while (it.next()) out.push(`${labels} ${formatGoFloat(it.value())} ${it.at()}`);
  }
  return out;
}

/** Merges several sets, as promtool's dump merges the blocks of a data directory. */
export function dumpAll(sets: readonly SeriesSet[]): string[] {
  return dumpLines(mergeSeriesSets(sets));
}

/** A deterministic ULID source for tests. */
export function testUlids(startMs = 1700000000000): UlidGenerator {
  let n = 0;
  return new UlidGenerator({ now: () => startMs + n++, random: (k) => new Uint8Array(k).fill(n & 0xff) });
}

/**
 * Awkward test data: NaN, ±Inf, -0, stale markers, extreme values, UTF-8 labels, jittered and
 * huge time steps, and a series long enough to need several chunks.
 */
export function awkwardSeries(base = 1700000000000): Series[] {
  // A Float64Array, not an array: V8 may canonicalise NaN payloads held in plain arrays.
  const specials = Float64Array.of(NaN, Infinity, -Infinity, -0, 0, 1e-300, Number.MAX_VALUE, 5e-324, 0.1, -123.456);
  specials[4] = staleNaN();
  const out: Series[] = [];
  const jitterT: number[] = [];
  const jitterV = new Float64Array(400);
  let t = base;
  for (let i = 0; i < 400; i++) {
    t += 15000 + ((i * 7919) % 501) - 250 + (i % 97 === 0 ? 70000 : 0);
    jitterT.push(t);
    jitterV[i] = i % 13 === 0 ? (specials[i % specials.length] as number) : i * 1.5;
  }
  out.push(seriesFromSamples(Labels.fromRecord({ __name__: "jitter_total", job: "api", instance: "a:9090" }), jitterT, jitterV));
  out.push(
    seriesFromSamples(
      Labels.fromRecord({ __name__: "temperature", room: "a b", unit: "°C", emoji: "\u{1F600}" }),
      Array.from(specials, (_, i) => base + i * 30000),
      specials,
    ),
  );
  out.push(seriesFromSamples(Labels.fromRecord({ __name__: "huge_steps" }), [base, base + 1, base + 2 ** 31, base + 2 ** 32 + 5], [1, 2, 3, 4]));
  out.push(seriesFromSamples(Labels.fromRecord({ __name__: "temperature", room: "\uFF5E" }), [base + 5], [42]));
  return out;
}
