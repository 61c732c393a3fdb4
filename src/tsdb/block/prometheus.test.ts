import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { requirePeer, runWithPeerLog, startPeer, withPeer, type PromMatrixSeries } from "../../../test/peers/index.js";
import { isStaleNaN } from "../../storage/index.js";
import { writeBlock } from "./index.js";
import { awkwardSeries, testUlids } from "./testing.js";

// A real Prometheus (2.42 here) opening a data directory that holds one block we wrote.
describe("a block written by Meridian, served by Prometheus", () => {
  it("answers range-vector queries with the written samples", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    const data = await mkdtemp(join(tmpdir(), "meridian-prom-data-"));
    try {
      const input = awkwardSeries();
      const written = await writeBlock(data, input, { ulids: testUlids() });
      assert.ok(written);
      const peer = withPeer(
        t,
        await startPeer({
          name: "prometheus",
          binary: "prometheus",
          files: { "prometheus.yml": "global: {}\n" },
          args: (dir, port) => [
            `--config.file=${dir}/prometheus.yml`,
            `--storage.tsdb.path=${data}`,
            "--storage.tsdb.retention.time=100y",
            `--web.listen-address=127.0.0.1:${port}`,
          ],
          readyPath: "/-/ready",
        }),
      );
      await runWithPeerLog(peer, async () => {
        for (const s of input) {
          const want: [number, number][] = [];
          const it = s.iterator();
          let last = 0;
          // Range vectors leave out staleness markers.
          while (it.next()) {
            last = it.at();
            if (!isStaleNaN(it.value())) want.push([it.at(), it.value()]);
          }
          const selector = `{${[...s.labels].map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(",")}}`;
          const body = JSON.parse(
            await peer.get("/api/v1/query", { query: `${selector}[60d]`, time: String(last / 1000) }),
          ) as { status: string; data: { result: PromMatrixSeries[] } };
          assert.equal(body.status, "success");
          assert.equal(body.data.result.length, 1, selector);
          const got = (body.data.result[0] as PromMatrixSeries).values.map(([ts, v]) => [Math.round(ts * 1000), apiFloat(v)]);
          assert.equal(got.length, want.length, selector);
          got.forEach(([ts, v], i) => {
            const [wt, wv] = want[i] as [number, number];
            assert.equal(ts, wt);
            assert.ok(Object.is(v, wv) || (Number.isNaN(v) && Number.isNaN(wv)), `${selector} at ${ts}: ${v} != ${wv}`);
          });
        }
      });
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});

// The API spells infinities as Go does.
function apiFloat(v: string): number {
  return v === "+Inf" ? Infinity : v === "-Inf" ? -Infinity : Number(v);
}
