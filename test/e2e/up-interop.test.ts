import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { findBinary, requirePeer, runWithPeerLog, startPrometheus, withPeer, type PromVectorSample } from "../peers/index.js";
import { startMeridian, within } from "./meridian-process.js";

describe("meridian up with the real Prometheus tools", () => {
  it("is scraped by a real Prometheus with up == 1", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    const dir = await mkdtemp(join(tmpdir(), "meridian-interop-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const up = await startMeridian(["up", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")]);
    t.after(() => up.kill());
    const target = new URL(up.url).host;
    const prom = withPeer(
      t,
      await startPrometheus({
        config: { global: { scrape_interval: "1s" }, scrape_configs: [{ job_name: "meridian", static_configs: [{ targets: [target] }] }] },
      }),
    );
    await runWithPeerLog(prom, async () => {
      const sample = await prom.waitFor(
        async () => {
          const data = await prom.query('up{job="meridian"}');
          const result = data.result as PromVectorSample[];
          return result.length > 0 ? result[0] : undefined;
        },
        { timeoutMs: 20_000, what: "a scrape of meridian" },
      );
      assert.equal(sample?.value[1], "1", "up must be 1");
      const health = await prom.api<{ activeTargets: { health: string; lastError: string }[] }>("/api/v1/targets");
      assert.deepEqual(health.activeTargets.map((a) => [a.health, a.lastError]), [["up", ""]]);
      const info = (await prom.query('meridian_build_info{job="meridian"}')).result as PromVectorSample[];
      assert.equal(info.length, 1);
      assert.match(info[0]?.metric["version"] ?? "", /^\d+\.\d+\.\d+/);
    });
    up.child.kill("SIGTERM");
    assert.equal(await within(up.exited(), 5000, "exit after SIGTERM"), 0);
  });

  it("serves /metrics that promtool check metrics reports nothing on", async (t) => {
    if (!requirePeer(t, "promtool", "prometheus")) return;
    const dir = await mkdtemp(join(tmpdir(), "meridian-promtool-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const up = await startMeridian(["up", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")]);
    t.after(() => up.kill());
    // Exercise the HTTP metrics first so their series are present too.
    await fetch(`${up.url}/-/healthy`);
    await fetch(`${up.url}/-/reload`, { method: "POST" });
    const body = await (await fetch(`${up.url}/metrics`)).text();
    const promtool = spawn(findBinary("promtool") as string, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    promtool.stdout.on("data", (b: Buffer) => (output += b.toString()));
    promtool.stderr.on("data", (b: Buffer) => (output += b.toString()));
    promtool.stdin.end(body);
    const [code] = (await once(promtool, "exit")) as [number | null];
    assert.equal(output, "", "promtool must report nothing");
    assert.equal(code, 0);
  });
});
