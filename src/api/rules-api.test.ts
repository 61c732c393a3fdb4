import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { registerRulesApi } from "./rules-api.js";

async function server(t: TestContext): Promise<FastifyInstance> {
  const app = Fastify();
  registerRulesApi(app);
  t.after(() => app.close());
  return app;
}

describe("rules and alerts API (no rules yet)", () => {
  it("answers empty rule groups and alerts in Prometheus's shapes", async (t) => {
    const app = await server(t);
    for (const url of ["/api/v1/rules", "/api/v1/rules?type=alert&exclude_alerts=true", "/api/v1/rules?type=RECORD&match%5B%5D=up&rule_name%5B%5D=x", "/api/v1/rules?group_limit=5"]) {
      const r = await app.inject({ method: "GET", url });
      assert.equal(r.statusCode, 200, url);
      assert.equal(r.body, '{"status":"success","data":{"groups":[]}}');
    }
    const alerts = await app.inject({ method: "GET", url: "/api/v1/alerts" });
    assert.equal(alerts.body, '{"status":"success","data":{"alerts":[]}}');
  });

  const bad: [string, string][] = [
    ["type=x", `invalid parameter "type": not supported value "x"`],
    ["exclude_alerts=maybe", `invalid parameter "exclude_alerts": error converting exclude_alerts: strconv.ParseBool: parsing "maybe": invalid syntax`],
    ["match[]=up{", "1:4: parse error: unexpected end of input inside braces"],
    ["match[]={a=~\".*\"}", "match[] must contain at least one non-empty matcher"],
    ["group_next_token=abc", `invalid parameter "group_next_token": group_limit needs to be present in order to paginate over the groups`],
    ["group_limit=x", `invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "x": invalid syntax`],
    ["group_limit=0", `invalid parameter "group_limit": group_limit needs to be greater than 0`],
    ["group_limit=2&group_next_token=abc", `invalid parameter "group_next_token": invalid group_next_token 'abc'. were rule groups changed?`],
  ];
  for (const [query, error] of bad) {
    it(`refuses ${query}`, async (t) => {
      const r = await (await server(t)).inject({ method: "GET", url: `/api/v1/rules?${new URLSearchParams(query).toString()}` });
      assert.equal(r.statusCode, 400);
      assert.equal(r.body, JSON.stringify({ status: "error", errorType: "bad_data", error }));
    });
  }
});
