// Interoperability with a real Prometheus 2.42: its WAL reads here, and our WAL replays there.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { silentLogger, systemClock } from "../../runtime/index.js";
import {
  pollUntil,
  requirePeer,
  runWithPeerLog,
  startPeer,
  startPrometheus,
  withPeer,
  type PromVectorSample,
} from "../../../test/peers/index.js";
import { checkpoint } from "./checkpoint.js";
import { WalReader } from "./reader.js";
import { decodeRecord, encodeSamples, encodeSeries, type RefSeries } from "./records.js";
import { tempDir } from "./test-helpers.js";
import { WalWriter } from "./writer.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("wal interop with Prometheus 2.42", () => {
  it("reads the WAL a real Prometheus wrote (snappy-compressed records included)", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    const target = createServer((_req, res) => {
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end('# TYPE meridian_wal_probe gauge\nmeridian_wal_probe{kind="a"} 42\nmeridian_wal_probe{kind="b"} -0.5\n');
    });
    target.listen(0, "127.0.0.1");
    await once(target, "listening");
    t.after(() => target.close());
    const port = (target.address() as AddressInfo).port;
    const prom = withPeer(
      t,
      await startPrometheus({
        config: {
          global: { scrape_interval: "1s" },
          scrape_configs: [{ job_name: "walprobe", scrape_interval: "500ms", static_configs: [{ targets: [`127.0.0.1:${port}`] }] }],
        },
      }),
    );
    await runWithPeerLog(prom, async () => {
      await prom.waitFor(
        async () => {
          const data = await prom.query('count_over_time(meridian_wal_probe{kind="a"}[5m])');
          const n = Number((data.result as PromVectorSample[])[0]?.value[1] ?? 0);
          return n >= 4;
        },
        { timeoutMs: 30_000, intervalMs: 250, what: "four scrapes" },
      );
      // Stop it ourselves (SIGTERM, a clean shutdown) so its directory is still there to read.
      process.kill(prom.pid, "SIGTERM");
      await pollUntil(() => !alive(prom.pid), { timeoutMs: 20_000, intervalMs: 50, what: "prometheus exit" });

      const series = new Map<number, RefSeries>();
      const samples = new Map<number, { t: number; v: number }[]>();
      let records = 0;
      let snappy = 0;
      for await (const rec of await WalReader.open(join(prom.dir, "data", "wal"))) {
        records++;
        if (rec.snappy) snappy++;
        const d = decodeRecord(rec.data);
        if (d.type === "series") for (const s of d.series) series.set(s.ref, s);
        if (d.type === "samples") {
          const { refs, timestamps, values } = d.samples;
          for (let i = 0; i < refs.length; i++) {
            const list = samples.get(refs[i] as number) ?? [];
            list.push({ t: timestamps[i] as number, v: values[i] as number });
            samples.set(refs[i] as number, list);
          }
        }
      }
      assert.ok(records > 0);
      // 2.42 compresses WAL records with snappy by default (when it makes them smaller).
      assert.ok(snappy > 0, `none of ${records} records was snappy-compressed`);
      const find = (ls: Labels): RefSeries | undefined => [...series.values()].find((s) => s.labels.equals(ls));
      const a = find(Labels.fromRecord({ __name__: "meridian_wal_probe", kind: "a", job: "walprobe", instance: `127.0.0.1:${port}` }));
      const b = find(Labels.fromRecord({ __name__: "meridian_wal_probe", kind: "b", job: "walprobe", instance: `127.0.0.1:${port}` }));
      const up = find(Labels.fromRecord({ __name__: "up", job: "walprobe", instance: `127.0.0.1:${port}` }));
      assert.ok(a && b && up, `series missing; got ${[...series.values()].map((s) => s.labels.toString()).join(" ")}`);
      const aSamples = samples.get(a.ref) ?? [];
      assert.ok(aSamples.length >= 4, `only ${aSamples.length} samples of kind=a`);
      assert.ok(aSamples.every((s) => s.v === 42));
      assert.ok((samples.get(b.ref) ?? []).every((s) => s.v === -0.5));
      assert.ok((samples.get(up.ref) ?? []).some((s) => s.v === 1));
      for (let i = 1; i < aSamples.length; i++) assert.ok((aSamples[i] as { t: number }).t > (aSamples[i - 1] as { t: number }).t);
    });
  });

  it("has a real Prometheus replay a WAL and checkpoint that Meridian wrote", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    const data = await tempDir(t, "meridian-wal-prom-");
    const walDir = join(data, "wal");
    await mkdir(walDir);
    const clock = systemClock();
    const now = clock.now();
    const t0 = now - 120_000;
    const t1 = now - 60_000;
    const t2 = now - 1_000;
    const lbl = (n: string): Labels => Labels.fromRecord({ __name__: "meridian_wal_written", source: "meridian", n });
    const w = await WalWriter.open({ dir: walDir, logger: silentLogger(), clock, fsync: "always" });
    await w.log([
      encodeSeries([
        { ref: 1, labels: lbl("1") },
        { ref: 2, labels: lbl("2") },
      ]),
      encodeSamples({ refs: [1, 2], timestamps: [t0, t0], values: Float64Array.of(1.5, 100) }),
    ]);
    await w.nextSegment();
    await w.log([
      encodeSeries([{ ref: 3, labels: lbl("3") }]),
      encodeSamples({ refs: [1, 2, 3], timestamps: [t1, t1, t1], values: Float64Array.of(2.5, 200, -7) }),
    ]);
    await w.nextSegment();
    await w.log([encodeSamples({ refs: [1, 3], timestamps: [t2, t2], values: Float64Array.of(3.5, -8) })]);
    await w.close();
    // Segment 0 moves into checkpoint.00000000, which Prometheus must read before segments 1 and 2.
    const stats = await checkpoint(walDir, 0, 0, () => true, 0, { logger: silentLogger(), clock });
    assert.deepEqual(stats.deletedSegments, [0]);

    const prom = withPeer(
      t,
      await startPeer({
        name: "prometheus",
        binary: "prometheus",
        files: { "prometheus.yml": "global:\n  scrape_interval: 1m\n" },
        args: (dir, port) => [
          `--config.file=${dir}/prometheus.yml`,
          `--storage.tsdb.path=${data}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        readyPath: "/-/ready",
      }),
    );
    await runWithPeerLog(prom, async () => {
      const query = async (expr: string, ms: number): Promise<Record<string, string>> => {
        const body = JSON.parse(await prom.get("/api/v1/query", { query: expr, time: (ms / 1000).toFixed(3) })) as {
          data: { result: PromVectorSample[] };
        };
        return Object.fromEntries(body.data.result.map((s) => [s.metric.n ?? "", s.value[1]]));
      };
      assert.deepEqual(await query("meridian_wal_written", t0), { "1": "1.5", "2": "100" });
      assert.deepEqual(await query("meridian_wal_written", t1), { "1": "2.5", "2": "200", "3": "-7" });
      assert.deepEqual(await query("meridian_wal_written", t2), { "1": "3.5", "2": "200", "3": "-8" });
      assert.deepEqual(await query("count_over_time(meridian_wal_written[10m])", t2), { "1": "3", "2": "2", "3": "2" });
      // Prometheus opens segment 3 for its own writes before replaying; nothing may be repaired.
      assert.match(prom.log(), /msg="WAL checkpoint loaded"/);
      assert.match(prom.log(), /msg="WAL segment loaded" segment=2 /);
      assert.doesNotMatch(prom.log(), /level=(warn|error)/);
    });
  });
});
