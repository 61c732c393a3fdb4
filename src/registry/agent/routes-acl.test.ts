import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CatalogStore, type CatalogOp } from "../catalog/index.js";
import { PermissionDeniedError } from "../errors.js";
import { requestToken, type Acl, type AclAccess, type AclResource } from "../http/acl.js";
import { storeCatalogWriter } from "./store-catalog-writer.js";
import { startAgent } from "./test-support.js";

// Token "web" may write service web and read nothing else; token "root" may do anything.
function testAcl(): Acl {
  const allows = (token: string, resource: AclResource, name: string, _access: AclAccess) => token === "root" || (token === "web" && resource === "service" && name === "web");
  return {
    token: requestToken,
    allows: (token, resource, name, access, reply) => {
      const ok = allows(token, resource, name, access);
      if (!ok) reply?.header("X-Consul-Results-Filtered-By-ACLs", "true");
      return ok;
    },
    requireRead: (t, r, n) => {
      if (!allows(t, r, n, "read")) throw new PermissionDeniedError();
    },
    requireWrite: (t, r, n) => {
      if (!allows(t, r, n, "write")) throw new PermissionDeniedError();
    },
    filterRecord: (t, r, record) => Object.fromEntries(Object.entries(record).filter(([k]) => allows(t, r, k, "read"))),
  };
}

describe("agent routes with ACLs", () => {
  it("needs service:write to register, node:write for node checks, and filters reads", async () => {
    const store = new CatalogStore("dc1");
    const write = async (op: CatalogOp) => store.apply(op)?.index ?? store.index;
    const h = await startAgent(storeCatalogWriter({ store, write }), { acl: testAcl() });
    const put = (path: string, token: string, body?: unknown) =>
      fetch(`${h.url}${path}`, { method: "PUT", headers: { "X-Consul-Token": token }, body: body === undefined ? undefined : JSON.stringify(body) });
    try {
      assert.equal((await put("/v1/agent/service/register", "web", { Name: "web" })).status, 200);
      const denied = await put("/v1/agent/service/register", "web", { Name: "db" });
      assert.equal(denied.status, 403);
      assert.equal(await denied.text(), "Permission denied");
      assert.equal((await put("/v1/agent/service/register", "root", { Name: "db" })).status, 200);
      assert.equal((await put("/v1/agent/check/register", "web", { Name: "mem", TTL: "1m" })).status, 403);
      assert.equal((await put("/v1/agent/check/register", "web", { Name: "web-ttl", ServiceID: "web", TTL: "1m" })).status, 200);
      assert.equal((await put("/v1/agent/service/deregister/db", "web")).status, 403);

      const list = await fetch(`${h.url}/v1/agent/services`, { headers: { "X-Consul-Token": "web" } });
      assert.deepEqual(Object.keys((await list.json()) as object), ["web"]);
      assert.equal(list.headers.get("x-consul-results-filtered-by-acls"), "true");
      const one = await fetch(`${h.url}/v1/agent/service/db`, { headers: { "X-Consul-Token": "web" } });
      assert.equal(one.status, 403);
    } finally {
      await h.close();
    }
  });
});
