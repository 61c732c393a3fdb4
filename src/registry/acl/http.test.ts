import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { ManualClock } from "../../runtime/index.js";
import { consulScope } from "../http/consul-scope.js";
import { ANONYMOUS_TOKEN_ID, createTokenAcl, fileAclStateStore, memoryAclStateStore, type AclStateStore, type TokenAcl } from "./index.js";

const BOOT = "b00t-secret";

// A Consul-style scope with the ACL API and two dummy routes guarded through the Acl seam.
async function serve(acl: TokenAcl): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify();
  await app.register(async (scope) => {
    consulScope(scope);
    acl.routes(scope);
    scope.put<{ Params: { name: string } }>("/v1/test/service/:name", async (req) => {
      acl.requireWrite(acl.token(req), "service", req.params.name);
      return true;
    });
    scope.get("/v1/test/services", async (req, reply) =>
      acl.filterRecord(acl.token(req), "service", { "web-1": ["a"], "web-2": [], "db-1": ["b"] }, reply),
    );
  });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, base };
}

interface Res {
  status: number;
  text: string;
  json: () => unknown;
  headers: Headers;
}
async function call(base: string, method: string, path: string, opts: { token?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers["X-Consul-Token"] = opts.token;
  const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text), headers: res.headers };
}

function ids(): () => string {
  let n = 0;
  return () => `11111111-1111-4111-8111-${String(++n).padStart(12, "0")}`;
}

describe("token ACL over HTTP", () => {
  let acl: TokenAcl;
  let app: FastifyInstance;
  let base: string;
  let webToken: string;
  let webAccessor: string;

  before(async () => {
    acl = await createTokenAcl({ bootstrapToken: BOOT, store: memoryAclStateStore(), clock: new ManualClock(1_700_000_000_000), newId: ids() });
    ({ app, base } = await serve(acl));
    const policy = await call(base, "PUT", "/v1/acl/policy", { token: BOOT, body: { Name: "web-writer", Rules: `service_prefix "web" { policy = "write" }` } });
    assert.equal(policy.status, 200, policy.text);
    const token = await call(base, "PUT", "/v1/acl/token", { token: BOOT, body: { Description: "web", Policies: [{ Name: "web-writer" }] } });
    assert.equal(token.status, 200, token.text);
    const t = token.json() as { SecretID: string; AccessorID: string };
    webToken = t.SecretID;
    webAccessor = t.AccessorID;
  });
  after(() => app.close());

  it("refuses an anonymous write with Consul's anonymous-token text", async () => {
    const res = await call(base, "PUT", "/v1/test/service/web-1");
    assert.equal(res.status, 403);
    assert.equal(
      res.text,
      `Permission denied: anonymous token lacks permission 'service:write' on "web-1". The anonymous token is used implicitly when a request does not specify a token.`,
    );
  });

  it("refuses an unknown token with ACL not found", async () => {
    const res = await call(base, "PUT", "/v1/test/service/web-1", { token: "nope" });
    assert.deepEqual([res.status, res.text], [403, "ACL not found"]);
    assert.equal((await call(base, "GET", "/v1/test/services", { token: "nope" })).status, 403);
  });

  it("lets the bootstrap token do anything", async () => {
    assert.equal((await call(base, "PUT", "/v1/test/service/db-1", { token: BOOT })).status, 200);
  });

  it("scopes a service_prefix token to its prefix", async () => {
    assert.equal((await call(base, "PUT", "/v1/test/service/web-1", { token: webToken })).status, 200);
    const denied = await call(base, "PUT", "/v1/test/service/db-1", { token: webToken });
    assert.equal(denied.status, 403);
    assert.equal(denied.text, `Permission denied: token with AccessorID '${webAccessor}' lacks permission 'service:write' on "db-1"`);
    // The token has no acl rule, so the ACL API is closed to it.
    assert.equal((await call(base, "GET", "/v1/acl/policies", { token: webToken })).status, 403);
  });

  it("reads the token from every header form Consul accepts", async () => {
    const forms: [string, Record<string, string>][] = [
      ["/v1/test/service/web-1", { "X-Consul-Token": webToken }],
      ["/v1/test/service/web-1", { Authorization: `Bearer ${webToken}` }],
      [`/v1/test/service/web-1?token=${webToken}`, {}],
    ];
    for (const [path, headers] of forms) {
      assert.equal((await call(base, "PUT", path, { headers })).status, 200, JSON.stringify(headers));
      assert.equal((await call(base, "PUT", path.replace("web-1", "db-1"), { headers })).status, 403);
    }
  });

  it("filters lists and says so in X-Consul-Results-Filtered-By-ACLs", async () => {
    const filtered = await call(base, "GET", "/v1/test/services", { token: webToken });
    assert.deepEqual(filtered.json(), { "web-1": ["a"], "web-2": [] });
    assert.equal(filtered.headers.get("x-consul-results-filtered-by-acls"), "true");
    const full = await call(base, "GET", "/v1/test/services", { token: BOOT });
    assert.deepEqual(Object.keys(full.json() as object), ["web-1", "web-2", "db-1"]);
    assert.equal(full.headers.get("x-consul-results-filtered-by-acls"), null);
    const anon = await call(base, "GET", "/v1/test/services");
    assert.deepEqual(anon.json(), {});
  });

  it("round-trips policies and tokens through the ACL API", async () => {
    const created = await call(base, "PUT", "/v1/acl/policy", {
      token: BOOT,
      body: { Name: "ops", Description: "operators", Rules: `operator = "read"\nnode_prefix "" { policy = "read" }` },
    });
    assert.equal(created.status, 200, created.text);
    const policy = created.json() as Record<string, unknown>;
    assert.equal(policy["Name"], "ops");
    assert.equal(policy["Rules"], `operator = "read"\nnode_prefix "" { policy = "read" }`);
    assert.ok(typeof policy["ID"] === "string" && (policy["CreateIndex"] as number) > 0 && policy["ModifyIndex"] === policy["CreateIndex"]);

    const read = await call(base, "GET", `/v1/acl/policy/${policy["ID"] as string}`, { token: BOOT });
    assert.deepEqual(read.json(), policy);
    assert.ok(Number(read.headers.get("x-consul-index")) >= (policy["ModifyIndex"] as number));
    const names = ((await call(base, "GET", "/v1/acl/policies", { token: BOOT })).json() as { Name: string; Rules?: string }[]);
    assert.deepEqual(names.map((p) => p.Name).sort(), ["global-management", "ops", "web-writer"]);
    assert.ok(names.every((p) => p.Rules === undefined));

    const secret = "5e0c7a9e-1f7e-4d5a-9f33-0b8f6f1d2c4a";
    const tok = await call(base, "PUT", "/v1/acl/token", { token: BOOT, body: { Description: "ops", Policies: [{ ID: policy["ID"] }], SecretID: secret, Local: true } });
    assert.equal(tok.status, 200, tok.text);
    const token = tok.json() as Record<string, unknown>;
    assert.equal(token["SecretID"], secret);
    assert.deepEqual(token["Policies"], [{ ID: policy["ID"], Name: "ops" }]);
    assert.equal(token["Local"], true);
    assert.equal(token["CreateTime"], "2023-11-14T22:13:20.000Z");
    assert.equal(typeof token["Hash"], "string");

    const self = await call(base, "GET", "/v1/acl/token/self", { token: secret });
    assert.deepEqual(self.json(), token);
    const byAccessor = (await call(base, "GET", `/v1/acl/token/${token["AccessorID"] as string}`, { token: BOOT })).json() as { SecretID: string };
    assert.equal(byAccessor.SecretID, secret);
    const list = (await call(base, "GET", "/v1/acl/tokens", { token: BOOT })).json() as { AccessorID: string }[];
    assert.ok(list.some((t) => t.AccessorID === token["AccessorID"]));
    assert.ok(list.some((t) => t.AccessorID === ANONYMOUS_TOKEN_ID));
    const byPolicy = (await call(base, "GET", `/v1/acl/tokens?policy=${policy["ID"] as string}`, { token: BOOT })).json() as unknown[];
    assert.equal(byPolicy.length, 1);

    // The new token reads nodes but writes nothing.
    assert.equal((await call(base, "PUT", "/v1/test/service/web-1", { token: secret })).status, 403);

    const updated = await call(base, "PUT", `/v1/acl/policy/${policy["ID"] as string}`, { token: BOOT, body: { Name: "ops", Rules: `service "web-9" { policy = "write" }` } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal((await call(base, "PUT", "/v1/test/service/web-9", { token: secret })).status, 200);

    const del = await call(base, "DELETE", `/v1/acl/token/${token["AccessorID"] as string}`, { token: BOOT });
    assert.deepEqual([del.status, del.text], [200, "true"]);
    assert.equal((await call(base, "GET", "/v1/acl/token/self", { token: secret })).text, "ACL not found");
    assert.equal((await call(base, "GET", `/v1/acl/token/${token["AccessorID"] as string}`, { token: BOOT })).status, 403);
    assert.equal((await call(base, "DELETE", `/v1/acl/policy/${policy["ID"] as string}`, { token: BOOT })).text, "true");
    assert.equal((await call(base, "GET", `/v1/acl/policy/${policy["ID"] as string}`, { token: BOOT })).text, "ACL not found");
  });

  it("answers bad requests with Consul's 400 texts", async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ["PUT", "/v1/acl/policy", { Name: "bad", Rules: `service "x" {\n  policy = "maybe"\n}` }, /^Failed to parse ACL rules: At 2:12: /],
      ["PUT", "/v1/acl/policy", { Name: "web-writer" }, /A Policy with Name "web-writer" already exists/],
      ["PUT", "/v1/acl/policy", { Name: "has space" }, /invalid Name/],
      ["PUT", "/v1/acl/policy", { ID: "x", Name: "y" }, /Cannot specify the ID when creating a new policy/],
      ["PUT", "/v1/acl/policy", { Name: "y", Bogus: 1 }, /unknown field "Bogus"/],
      ["PUT", "/v1/acl/token", { Policies: [{ Name: "missing" }] }, /No such ACL policy with name "missing"/],
      ["PUT", "/v1/acl/token", { Roles: [{ Name: "r" }] }, /Roles is not supported/],
      ["PUT", "/v1/acl/token", { AccessorID: "not-a-uuid" }, /AccessorID is not a valid UUID/],
      ["DELETE", `/v1/acl/token/${ANONYMOUS_TOKEN_ID}`, undefined, /anonymous token is not permitted/],
      ["DELETE", "/v1/acl/policy/00000000-0000-0000-0000-000000000001", undefined, /global-management policy is not permitted/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await call(base, method, path, { token: BOOT, body });
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${res.text}`);
      assert.match(res.text, message);
    }
  });

  it("refuses bootstrap: the configured token already exists", async () => {
    const res = await call(base, "PUT", "/v1/acl/bootstrap");
    assert.equal(res.status, 403);
    assert.match(res.text, /^Permission denied: ACL bootstrap no longer allowed \(reset index: \d+\)$/);
  });
});

describe("token ACL options and persistence", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("persists tokens and policies across a restart, and follows a rotated bootstrap secret", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-acl-http-"));
    dirs.push(dir);
    const path = join(dir, "acl.json");
    const first = await createTokenAcl({ bootstrapToken: BOOT, store: fileAclStateStore(path) });
    let { app, base } = await serve(first);
    await call(base, "PUT", "/v1/acl/policy", { token: BOOT, body: { Name: "web", Rules: `service_prefix "web" { policy = "write" }` } });
    const token = (await call(base, "PUT", "/v1/acl/token", { token: BOOT, body: { Policies: [{ Name: "web" }] } })).json() as { SecretID: string };
    const bootAccessor = ((await call(base, "GET", "/v1/acl/token/self", { token: BOOT })).json() as { AccessorID: string }).AccessorID;
    await app.close();

    const second = await createTokenAcl({ bootstrapToken: "rotated", store: fileAclStateStore(path) });
    ({ app, base } = await serve(second));
    try {
      assert.equal((await call(base, "PUT", "/v1/test/service/web-1", { token: token.SecretID })).status, 200);
      assert.equal((await call(base, "PUT", "/v1/test/service/db-1", { token: token.SecretID })).status, 403);
      assert.equal((await call(base, "PUT", "/v1/test/service/db-1", { token: BOOT })).text, "ACL not found");
      const self = (await call(base, "GET", "/v1/acl/token/self", { token: "rotated" })).json() as { AccessorID: string };
      assert.equal(self.AccessorID, bootAccessor);
    } finally {
      await app.close();
    }
  });

  it("keeps the live state when a save fails", async () => {
    const inner = memoryAclStateStore();
    let failing = false;
    const store: AclStateStore = {
      load: (s) => inner.load(s),
      save: async (state, s) => {
        if (failing) throw new Error("disk full");
        await inner.save(state, s);
      },
    };
    const acl = await createTokenAcl({ bootstrapToken: BOOT, store });
    const { app, base } = await serve(acl);
    try {
      failing = true;
      const res = await call(base, "PUT", "/v1/acl/policy", { token: BOOT, body: { Name: "lost" } });
      assert.equal(res.status, 500);
      failing = false;
      const names = ((await call(base, "GET", "/v1/acl/policies", { token: BOOT })).json() as { Name: string }[]).map((p) => p.Name);
      assert.deepEqual(names, ["global-management"]);
    } finally {
      await app.close();
    }
  });

  it("applies the default policy when no rule speaks, but never to ACL management", async () => {
    const acl = await createTokenAcl({ bootstrapToken: BOOT, store: memoryAclStateStore(), defaultPolicy: "allow" });
    assert.doesNotThrow(() => acl.requireWrite("", "service", "anything"));
    assert.equal(acl.allows("", "operator", "", "write"), true);
    const { app, base } = await serve(acl);
    try {
      assert.equal((await call(base, "GET", "/v1/acl/policies")).status, 403);
    } finally {
      await app.close();
    }
  });

  it("rejects an empty bootstrap secret", async () => {
    await assert.rejects(createTokenAcl({ bootstrapToken: "", store: memoryAclStateStore() }), RangeError);
  });
});
