import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startMeridian } from "./meridian-process.js";

describe("registry ACLs", () => {
  it("refuses anonymous writes and scopes a token's service:write to its prefix", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-acl-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const boot = "b0075ec7-0000-4000-8000-000000000001";
    const reg = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "registry"), "--acl-bootstrap-token", boot]);
    t.after(() => reg.kill());
    const put = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${reg.url}${path}`, { method: "PUT", body: JSON.stringify(body), headers: token ? { "X-Consul-Token": token } : {} });
      return { status: res.status, text: await res.text() };
    };

    const anonymous = await put("/v1/agent/service/register", { Name: "web", ID: "web-1", Port: 80 });
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.text, /^Permission denied/);
    const anonymousCatalog = await put("/v1/catalog/register", { Node: "x", Address: "1.2.3.4" });
    assert.equal(anonymousCatalog.status, 403);

    const policy = await put("/v1/acl/policy", { Name: "web-writer", Rules: 'service_prefix "web" { policy = "write" }' }, boot);
    assert.equal(policy.status, 200, policy.text);
    const token = await put("/v1/acl/token", { Description: "web deployer", Policies: [{ Name: "web-writer" }] }, boot);
    assert.equal(token.status, 200, token.text);
    const secret = (JSON.parse(token.text) as { SecretID: string }).SecretID;

    assert.equal((await put("/v1/agent/service/register", { Name: "web", ID: "web-1", Port: 80 }, secret)).status, 200);
    const db = await put("/v1/agent/service/register", { Name: "db", ID: "db-1", Port: 5432 }, secret);
    assert.equal(db.status, 403);
    assert.match(db.text, /Permission denied.*service:write.*"db"/);

    // Bearer and ?token= forms carry the token too; an unknown token is "ACL not found".
    const bearer = await fetch(`${reg.url}/v1/agent/service/register`, { method: "PUT", body: JSON.stringify({ Name: "web", ID: "web-2", Port: 81 }), headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(bearer.status, 200);
    const query = await fetch(`${reg.url}/v1/agent/service/register?token=${secret}`, { method: "PUT", body: JSON.stringify({ Name: "web", ID: "web-3", Port: 82 }) });
    assert.equal(query.status, 200);
    const unknown = await put("/v1/agent/service/register", { Name: "web", ID: "web-4", Port: 83 }, "not-a-token");
    assert.equal(unknown.status, 403);
    assert.equal(unknown.text, "ACL not found");

    // A client agent resolves tokens at its server and enforces the same rules on its own API.
    const agent = await startMeridian(["agent", "--listen", "127.0.0.1:0", "--server", reg.url, "--node", "edge", "--token", boot]);
    t.after(() => agent.kill());
    const putAgent = async (body: unknown, token?: string) => {
      const res = await fetch(`${agent.url}/v1/agent/service/register`, { method: "PUT", body: JSON.stringify(body), headers: token ? { "X-Consul-Token": token } : {} });
      return { status: res.status, text: await res.text() };
    };
    const anonAgent = await putAgent({ Name: "web", ID: "web-edge-0", Port: 90 });
    assert.equal(anonAgent.status, 403, anonAgent.text);
    assert.equal((await putAgent({ Name: "web", ID: "web-edge-1", Port: 91 }, secret)).status, 200);
    const dbAgent = await putAgent({ Name: "db", ID: "db-edge-1", Port: 92 }, secret);
    assert.equal(dbAgent.status, 403);
    assert.match(dbAgent.text, /lacks permission 'service:write' on "db"/);

    // Reads are filtered for tokens that may not see a service.
    const services = (await (await fetch(`${reg.url}/v1/catalog/services`, { headers: { "X-Consul-Token": boot } })).json()) as Record<string, string[]>;
    assert.ok("web" in services);
  });
});
