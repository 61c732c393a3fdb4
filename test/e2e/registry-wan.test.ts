import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConsulClient } from "../../src/registry/index.js";
import { pollUntil } from "../peers/index.js";
import { startMeridian } from "./meridian-process.js";

describe("registry across datacenters (--join-wan)", () => {
  it("lists the other datacenter and forwards ?dc= reads and writes to it", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-wan-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const east = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "east"), "--datacenter", "east", "--node", "east-1"]);
    t.after(() => east.kill());
    const west = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "west"), "--datacenter", "west", "--node", "west-1", "--join-wan", east.url]);
    t.after(() => west.kill());

    await pollUntil(async () => {
      const dcs = (await (await fetch(`${west.url}/v1/catalog/datacenters`)).json()) as string[];
      return dcs.includes("east") || undefined;
    }, { timeoutMs: 20_000, what: "west to learn about east" });
    assert.deepEqual(await (await fetch(`${west.url}/v1/catalog/datacenters`)).json(), ["west", "east"]);

    // A write through west with ?dc=east lands in east's catalog.
    const put = await fetch(`${west.url}/v1/catalog/register?dc=east`, {
      method: "PUT",
      body: JSON.stringify({ Node: "ext-1", Address: "10.2.0.1", Service: { Service: "billing", Port: 9000 } }),
    });
    assert.equal(put.status, 200, await put.text());
    const direct = await new ConsulClient({ baseUrl: east.url }).catalogService("billing");
    assert.equal(direct.value.length, 1);
    const forwarded = await new ConsulClient({ baseUrl: west.url }).healthService("billing", { dc: "east" });
    assert.deepEqual(forwarded.value.map((e) => [e.Node.Node, e.Node.Datacenter, e.Service.Port]), [["ext-1", "east", 9000]]);
    assert.ok(forwarded.index > 0, "the forwarded answer carries east's X-Consul-Index");
    assert.deepEqual((await new ConsulClient({ baseUrl: west.url }).catalogServices()).value["billing"], undefined, "west's own catalog is untouched");
  });
});
