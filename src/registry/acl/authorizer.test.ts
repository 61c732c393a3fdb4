import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AclAccess } from "../http/acl.js";
import { compileAuthorizer, type AuthzResource, type Decision } from "./authorizer.js";
import { parseRules } from "./rules.js";

// Each case: the policies linked to one token, then [resource, name, access, expected decision].
type Check = [AuthzResource, string, AclAccess, Decision];
const cases: { name: string; policies: string[]; checks: Check[] }[] = [
  {
    name: "no rules say nothing",
    policies: [],
    checks: [["service", "web", "read", "default"], ["operator", "", "read", "default"]],
  },
  {
    name: "write implies read; read does not imply write",
    policies: [`service "web" { policy = "write" }\nservice "db" { policy = "read" }`],
    checks: [
      ["service", "web", "read", "allow"],
      ["service", "web", "write", "allow"],
      ["service", "db", "read", "allow"],
      ["service", "db", "write", "deny"],
      ["service", "web-1", "read", "default"],
    ],
  },
  {
    name: "exact rules match only the exact name",
    policies: [`service "web" { policy = "write" }`],
    checks: [["service", "web", "write", "allow"], ["service", "we", "write", "default"], ["service", "web2", "write", "default"]],
  },
  {
    name: "prefix rules match names that start with the prefix; empty prefix matches all",
    policies: [`service_prefix "web" { policy = "write" }\nnode_prefix "" { policy = "read" }`],
    checks: [
      ["service", "web", "write", "allow"],
      ["service", "web-1", "write", "allow"],
      ["service", "db-1", "write", "default"],
      ["node", "anything", "read", "allow"],
      ["node", "anything", "write", "deny"],
    ],
  },
  {
    name: "longest prefix wins, whichever way it points",
    policies: [`service_prefix "" { policy = "write" }\nservice_prefix "secret-" { policy = "deny" }\nservice_prefix "secret-ok" { policy = "read" }`],
    checks: [
      ["service", "web", "write", "allow"],
      ["service", "secret-db", "read", "deny"],
      ["service", "secret-ok-1", "read", "allow"],
      ["service", "secret-ok-1", "write", "deny"],
    ],
  },
  {
    name: "an exact rule beats any prefix rule, even a longer-looking one",
    policies: [`service_prefix "web" { policy = "deny" }\nservice "web" { policy = "write" }\nservice "web-admin" { policy = "read" }\nservice_prefix "web-admin" { policy = "write" }`],
    checks: [
      ["service", "web", "write", "allow"],
      ["service", "web-1", "read", "deny"],
      ["service", "web-admin", "write", "deny"],
      ["service", "web-admin-2", "write", "allow"],
    ],
  },
  {
    name: "an exact deny beats a prefix write",
    policies: [`service_prefix "" { policy = "write" }\nservice "db" { policy = "deny" }`],
    checks: [["service", "db", "read", "deny"], ["service", "dbx", "write", "allow"]],
  },
  {
    name: "same rule in two policies: deny beats write beats read",
    policies: [`service "web" { policy = "read" }\nservice_prefix "a" { policy = "write" }`, `service "web" { policy = "write" }\nservice_prefix "a" { policy = "deny" }`],
    checks: [["service", "web", "write", "allow"], ["service", "abc", "read", "deny"]],
  },
  {
    name: "merging looks at the same kind only: a prefix deny does not override an exact read",
    policies: [`service "web" { policy = "read" }`, `service_prefix "web" { policy = "deny" }`],
    checks: [["service", "web", "read", "allow"], ["service", "web-1", "read", "deny"]],
  },
  {
    name: "resources are independent",
    policies: [`service_prefix "" { policy = "write" }\nagent_prefix "n" { policy = "read" }`],
    checks: [["node", "web", "read", "default"], ["agent", "n1", "read", "allow"], ["agent", "n1", "write", "deny"], ["agent", "x", "read", "default"]],
  },
  {
    name: "operator and acl are unnamed",
    policies: [`operator = "read"`, `acl = "write"`],
    checks: [["operator", "", "read", "allow"], ["operator", "", "write", "deny"], ["acl", "", "write", "allow"]],
  },
  {
    name: "global deny beats global write across policies",
    policies: [`operator = "write"`, `operator = "deny"`],
    checks: [["operator", "", "read", "deny"]],
  },
];

describe("compileAuthorizer precedence", () => {
  for (const c of cases) {
    it(c.name, () => {
      const authz = compileAuthorizer(c.policies.map(parseRules));
      for (const [resource, name, access, want] of c.checks) {
        assert.equal(authz.decide(resource, name, access), want, `${resource}:${access} on ${JSON.stringify(name)}`);
      }
    });
  }
});
