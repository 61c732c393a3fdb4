// Reads a V8 .cpuprofile (as written by `node --cpu-prof`) and sums self time per function and
// per source file, so a benchmark can print where a process spent its main-thread CPU.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of a summary: a function or a file, its self time and share of all samples. */
export interface ProfileRow {
  readonly name: string;
  readonly selfMs: number;
  readonly selfPercent: number;
}

/** Self time of the `top` hottest functions and files of the profile at `path`. */
export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: readonly ProfileRow[];
  readonly files: readonly ProfileRow[];
}

/** Summarizes the profile at `path`; the idle node is left out of the shares. */
export async function summarizeCpuProfile(path: string, top = 20): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    // A sample's delta is the time since the previous one, so it is charged to this sample.
    const us = profile.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === "(idle)") return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url === "" ? "" : shortUrl(url);
    const fnKey = where === "" ? functionName || "(anonymous)" : `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
    fn.set(fnKey, (fn.get(fnKey) ?? 0) + us);
    const fileKey = where === "" ? functionName : where;
    file.set(fileKey, (file.get(fileKey) ?? 0) + us);
    totalUs += us;
  });
  const rows = (m: Map<string, number>): ProfileRow[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), selfPercent: +((100 * us) / Math.max(totalUs, 1)).toFixed(1) }));
  return { totalMs: Math.round(totalUs / 1000), functions: rows(fn), files: rows(file) };
}

/** `node_modules/pkg/...` and project paths shortened to what identifies them. */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const dist = url.indexOf("/dist/");
  if (dist >= 0) return url.slice(dist + "/dist/".length);
  return url.startsWith("node:") ? url : basename(url);
}
