import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runMeridian, startMeridian, within } from "./meridian-process.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "meridian-up-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function metric(url: string, name: string): Promise<number | undefined> {
  const body = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(body);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

describe("meridian up", () => {
  it("is ready within 10 s, serves its endpoints and exits 0 within 5 s of SIGTERM", async () => {
    const up = await startMeridian(["up", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data1")]);
    try {
      assert.equal((await fetch(`${up.url}/-/ready`)).status, 200);
      assert.equal((await fetch(`${up.url}/-/healthy`)).status, 200);
      assert.match(await (await fetch(`${up.url}/metrics`)).text(), /^meridian_build_info\{/m);
      assert.match(up.output(), /metrics +http:\/\/127\.0\.0\.1:\d+\/metrics/);
      up.child.kill("SIGTERM");
      assert.equal(await within(up.exited(), 5000, "exit after SIGTERM"), 0, up.output());
    } finally {
      up.kill();
    }
  });

  it("exits 0 on SIGINT too", async () => {
    const up = await startMeridian(["up", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data2")]);
    try {
      up.child.kill("SIGINT");
      assert.equal(await within(up.exited(), 5000, "exit after SIGINT"), 0, up.output());
    } finally {
      up.kill();
    }
  });

  it("rejects a bad configuration on SIGHUP and /-/reload, keeps running, and accepts a fixed one", async () => {
    const config = join(dir, "meridian.yml");
    await writeFile(config, "log_level: info\n");
    const up = await startMeridian(["up", "--config", config, "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data3")]);
    try {
      assert.equal(await metric(up.url, "meridian_config_last_reload_successful"), 1);
      await writeFile(config, "log_level: info\nretention: 10d\n");

      const r = await fetch(`${up.url}/-/reload`, { method: "POST" });
      assert.equal(r.status, 500);
      assert.match(await r.text(), /meridian\.yml:2: field retention not found/);
      assert.equal(await metric(up.url, "meridian_config_last_reload_successful"), 0);

      await writeFile(config, "log_level: debug\n");
      up.child.kill("SIGHUP");
      await waitFor(async () => (await metric(up.url, "meridian_config_last_reload_successful")) === 1);

      await writeFile(config, "log_level: [\n");
      up.child.kill("SIGHUP");
      await waitFor(async () => (await metric(up.url, "meridian_config_last_reload_successful")) === 0);
      assert.equal((await fetch(`${up.url}/-/ready`)).status, 200);
      assert.match(up.output(), /configuration rejected, keeping the previous one/);

      up.child.kill("SIGTERM");
      assert.equal(await within(up.exited(), 5000, "exit after SIGTERM"), 0);
    } finally {
      up.kill();
    }
  });

  it("refuses to start with a bad configuration file, naming the field and line", async () => {
    const config = join(dir, "bad.yml");
    await writeFile(config, "listen: 127.0.0.1:0\nscrape_interval: 15s\n");
    const { code, output } = await runMeridian(["up", "--config", config, "--data-dir", join(dir, "data4")]);
    assert.equal(code, 1);
    assert.match(output, /bad\.yml:2: field scrape_interval not found/);
  });

  it("prints help listing every flag, and its version", async () => {
    const help = await runMeridian(["up", "--help"]);
    assert.equal(help.code, 0);
    for (const flag of ["--config", "--data-dir", "--listen", "--log-level"]) assert.match(help.output, new RegExp(flag));
    const version = await runMeridian(["--version"]);
    assert.equal(version.code, 0);
    assert.match(version.output, /^meridian, version \d+\.\d+\.\d+/);
    const bad = await runMeridian(["up", "--listen", "nope"]);
    assert.equal(bad.code, 2);
    assert.match(bad.output, /invalid listen address "nope"/);
  });
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
