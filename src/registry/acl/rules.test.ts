import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AclRulesError } from "./errors.js";
import { parseRules } from "./rules.js";

describe("parseRules", () => {
  it("reads the HCL subset", () => {
    const rules = parseRules(`
# services
service "web" { policy = "write" }
service_prefix "web" {
  policy = "read"   // trailing comment
  intentions = "read"
}
/* nodes and
   agents */
node "n1" { policy = "write" }
node_prefix "" { policy = "read" }
agent_prefix "" { policy = "read" }
operator = "read"
key_prefix "app/" { policy = "list" }
`);
    assert.deepEqual(rules.segments, [
      { resource: "service", segment: "web", prefix: false, policy: "write" },
      { resource: "service", segment: "web", prefix: true, policy: "read" },
      { resource: "node", segment: "n1", prefix: false, policy: "write" },
      { resource: "node", segment: "", prefix: true, policy: "read" },
      { resource: "agent", segment: "", prefix: true, policy: "read" },
      { resource: "key", segment: "app/", prefix: true, policy: "read" },
    ]);
    assert.deepEqual(rules.globals, { operator: "read" });
  });

  it("reads the JSON form to the same rules", () => {
    const hcl = parseRules(`service "web" { policy = "write" }\nservice_prefix "" { policy = "read" }\noperator = "read"`);
    const json = parseRules(JSON.stringify({ service: { web: { policy: "write" } }, service_prefix: { "": { policy: "read" } }, operator: "read" }));
    assert.deepEqual(json, hcl);
    const listForm = parseRules(`{"service": [{"web": [{"policy": "write"}]}], "service_prefix": [{"": {"policy": "read"}}], "operator": "read"}`);
    assert.deepEqual(listForm, hcl);
  });

  it("accepts escapes, labels as nested blocks, and empty rules", () => {
    assert.equal(parseRules(`service "we\\"b" { policy = "read" }`).segments[0]?.segment, 'we"b');
    assert.deepEqual(parseRules(`service = { "web" = { policy = "deny" } }`).segments, [{ resource: "service", segment: "web", prefix: false, policy: "deny" }]);
    assert.deepEqual(parseRules("  \n"), { segments: [], globals: {} });
  });

  const errors: [string, string, number, number, RegExp][] = [
    ["missing brace", `service "web" {\n  policy = "read"\n`, 3, 1, /expected "}"/],
    ["bad policy", `service "web" {\n  policy = "wrte"\n}`, 2, 12, /invalid policy "wrte"/],
    ["unknown resource", `operator = "read"\nservise "web" { policy = "read" }`, 2, 1, /unknown ACL resource "servise"/],
    ["unquoted value", `operator = read`, 1, 12, /strings need double quotes/],
    ["unterminated string", `service "web { policy = "read" }`, 1, 30, /unterminated string/],
    ["missing policy", `node "n1" {\n}`, 1, 11, /missing "policy"/],
    ["unknown field", `node "n1" {\n  polcy = "read"\n}`, 2, 3, /unknown field "polcy"/],
    ["stray character", `operator = "read"\n  @`, 2, 3, /unexpected character "@"/],
    ["open comment", `/* no end`, 1, 1, /unterminated comment/],
    ["bad global", `operator = "list"`, 1, 12, /invalid policy "list"/],
    ["bad JSON value", `{"service": {"web": }}`, 1, 21, /expected a value/],
    ["JSON without colon", `{\n  "operator" "read"\n}`, 2, 14, /expected ":"/],
    ["bad JSON policy", `{\n  "service": {"web": {"policy": "all"}}\n}`, 2, 33, /invalid policy "all"/],
  ];
  for (const [name, text, line, column, message] of errors) {
    it(`reports ${name} at ${line}:${column}`, () => {
      assert.throws(
        () => parseRules(text),
        (err: unknown) => {
          assert.ok(err instanceof AclRulesError, String(err));
          assert.equal(err.code, "bad_request");
          assert.match(err.message, message);
          assert.deepEqual([err.line, err.column], [line, column], err.message);
          assert.match(err.message, new RegExp(`^Failed to parse ACL rules: At ${line}:${column}: `));
          return true;
        },
      );
    });
  }
});
