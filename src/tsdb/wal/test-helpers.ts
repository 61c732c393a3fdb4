// Shared fixtures of the WAL tests (not exported from index.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { pino } from "pino";
import type { Logger } from "../../runtime/index.js";
import { WalReader } from "./reader.js";
import type { WalRecord } from "./segment-decoder.js";

/** A fresh temp directory removed after the test. */
export async function tempDir(t: TestContext, prefix = "meridian-wal-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** One parsed log line. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A debug-level logger that keeps every line in memory. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
}

/** All records of a directory, in order. */
export async function readAll(dir: string): Promise<WalRecord[]> {
  const out: WalRecord[] = [];
  for await (const rec of await WalReader.open(dir)) out.push(rec);
  return out;
}

/** A deterministic record of `size` bytes whose content depends on `seed`. */
export function payload(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}
