import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MeridianError } from "../../model/index.js";
import {
  AGENT_CHECK_FILTER_SCHEMA,
  AGENT_SERVICE_FILTER_SCHEMA,
  CATALOG_NODE_FILTER_SCHEMA,
  CATALOG_SERVICE_FILTER_SCHEMA,
  FilterEvaluationError,
  FilterSyntaxError,
  FilterValidationError,
  HEALTH_SERVICE_FILTER_SCHEMA,
  compileFilter,
  compileParsedFilter,
  parseFilter,
} from "./index.js";
import type { FilterExpr } from "./index.js";

/** Prints a tree compactly so precedence tables stay readable. */
function show(e: FilterExpr): string {
  switch (e.kind) {
    case "or":
    case "and":
      return `(${show(e.left)} ${e.kind} ${show(e.right)})`;
    case "not":
      return `(not ${show(e.operand)})`;
    case "match":
      return e.value === undefined ? `[${e.selector.join("|")} ${e.op}]` : `[${e.selector.join("|")} ${e.op} ${JSON.stringify(e.value)}]`;
  }
}

describe("parseFilter trees", () => {
  const cases: [string, string][] = [
    ["a == b", '[a == "b"]'],
    ["a != 1.5", '[a != "1.5"]'],
    ["a == -3", '[a == "-3"]'],
    ['"x y" in Meta', '[Meta in "x y"]'],
    ["x not in Tags", '[Tags not in "x"]'],
    ["Tags contains x", '[Tags in "x"]'],
    ["Tags not contains x", '[Tags not in "x"]'],
    ["a is empty", "[a is empty]"],
    ["a is not empty", "[a is not empty]"],
    ["a matches `^\\d+$`", '[a matches "^\\\\d+$"]'],
    ["a not matches \"x\"", '[a not matches "x"]'],
    ['Meta["a.b"].c == d', '[Meta|a.b|c == "d"]'],
    ["a == b.c", '[a == "b.c"]'],
    ["a == b or c == d and e == f", '([a == "b"] or ([c == "d"] and [e == "f"]))'],
    ["(a == b or c == d) and e == f", '(([a == "b"] or [c == "d"]) and [e == "f"])'],
    ["not a == b and c == d", '((not [a == "b"]) and [c == "d"])'],
    ["not (a == b and c == d)", '(not ([a == "b"] and [c == "d"]))'],
    ["not not a == b", '[a == "b"]'],
    ["a == b and c == d and e == f", '([a == "b"] and ([c == "d"] and [e == "f"]))'],
    ["a == b or c == d or e == f", '([a == "b"] or ([c == "d"] or [e == "f"]))'],
    ["a == or or b == and", '([a == "or"] or [b == "and"])'],
    ["notes == x", '[notes == "x"]'],
  ];
  for (const [expr, want] of cases) {
    it(JSON.stringify(expr), () => assert.equal(show(parseFilter(expr)), want));
  }
});

describe("FilterSyntaxError", () => {
  const cases: { expr: string; line: number; column: number; offset: number; message: RegExp }[] = [
    { expr: "foo", line: 1, column: 4, offset: 3, message: /^1:4 \(3\): no match found, expected: "!=", ".", "==", "\[", \[ \\t\\r\\n\] or \[a-zA-Z0-9_\]$/ },
    { expr: 'a == "abc', line: 1, column: 10, offset: 9, message: /Unterminated string literal/ },
    { expr: "a == `abc", line: 1, column: 10, offset: 9, message: /Unterminated string literal/ },
    { expr: "a == b junk", line: 1, column: 8, offset: 7, message: /expected: "and", "or", \[ \\t\\r\\n\] or EOF$/ },
    { expr: "(a == b", line: 1, column: 8, offset: 7, message: /Unmatched parentheses/ },
    { expr: "a == b\nand c ==", line: 2, column: 9, offset: 15, message: /no match found/ },
    { expr: 'é == "x" and', line: 1, column: 1, offset: 0, message: /no match found/ },
    { expr: 'a == "é" and b', line: 1, column: 15, offset: 15, message: /no match found/ },
    { expr: 'a == "\\q"', line: 1, column: 6, offset: 5, message: /rule "string": invalid syntax/ },
    { expr: "a == 12ab", line: 1, column: 8, offset: 7, message: /Invalid number literal/ },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.expr), () => {
      assert.throws(
        () => parseFilter(c.expr),
        (err: unknown) => {
          assert.ok(err instanceof FilterSyntaxError);
          assert.ok(err instanceof MeridianError);
          assert.equal(err.code, "invalid_filter");
          assert.deepEqual([err.line, err.column, err.offset], [c.line, c.column, c.offset]);
          assert.match(err.message, c.message);
          assert.equal(err.expression, c.expr);
          return true;
        },
      );
    });
  }

  it("refuses nesting deep enough to threaten the stack", () => {
    const deep = `${"(".repeat(5000)}a == b${")".repeat(5000)}`;
    assert.throws(() => parseFilter(deep), FilterSyntaxError);
  });

  it("parses nested parentheses without exponential backtracking", () => {
    const nested = `${"(".repeat(60)}a == b${")".repeat(60)}`;
    assert.equal(show(parseFilter(nested)), '[a == "b"]');
  });
});

describe("FilterValidationError", () => {
  const cases: { expr: string; selector: string; message: string }[] = [
    { expr: "Foo == bar", selector: "Foo", message: 'Selector "Foo" is not valid' },
    { expr: "Meta.env.x == y", selector: "Meta.env.x", message: 'Selector "Meta.env.x" is not valid' },
    { expr: "Meta == x", selector: "Meta", message: 'Invalid match operator "Equal" for selector "Meta"' },
    { expr: "Node is empty", selector: "Node", message: 'Invalid match operator "Is Empty" for selector "Node"' },
    { expr: "Address matches `(`", selector: "Address", message: 'Failed to compile regular expression "(": ' },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.expr), () => {
      assert.throws(
        () => compileFilter(c.expr, CATALOG_NODE_FILTER_SCHEMA),
        (err: unknown) => {
          assert.ok(err instanceof FilterValidationError);
          assert.equal(err.code, "invalid_filter");
          assert.equal(err.selector, c.selector);
          assert.ok(err.message.startsWith(c.message), err.message);
          return true;
        },
      );
    });
  }
});

describe("compileFilter over Consul-shaped responses", () => {
  const services = [
    { ServiceName: "web", ServiceTags: ["prod"], ServiceMeta: { env: "prod" }, ServicePort: 80, NodeMeta: { rack: "r1" } },
    { ServiceName: "web", ServiceTags: ["canary"], ServiceMeta: { env: "qa" }, ServicePort: 8080 },
    { ServiceName: "web", ServiceTags: null, ServiceMeta: null, ServicePort: 81, TaggedAddresses: null },
  ];
  const keep = (expr: string): number[] => {
    const f = compileFilter(expr, CATALOG_SERVICE_FILTER_SCHEMA);
    return services.flatMap((s, i) => (f(s) ? [i] : []));
  };
  const cases: [string, number[]][] = [
    ["ServiceMeta.env == prod", [0]],
    ["ServiceMeta.env != prod", [1, 2]],
    ["prod in ServiceTags or canary in ServiceTags", [0, 1]],
    ["ServiceTags is empty", [2]],
    ["ServicePort == 80 or ServicePort == 81", [0, 2]],
    // A missing map key satisfies `matches` in bexpr 0.1.2 (checked against the real library).
    ["NodeMeta.rack matches `^r\\d$`", [0, 1, 2]],
    ["not NodeMeta is empty", [0]],
    ["ServiceName == web and not (ServiceMeta.env == qa)", [0, 2]],
  ];
  for (const [expr, want] of cases) {
    it(JSON.stringify(expr), () => assert.deepEqual(keep(expr), want));
  }

  it("treats a selector through a list of checks as any-element", () => {
    const entry = { Node: { Node: "n1" }, Service: { Service: "redis" }, Checks: [{ Status: "passing" }, { Status: "critical" }] };
    assert.equal(compileFilter("Checks.Status == critical", HEALTH_SERVICE_FILTER_SCHEMA)(entry), true);
    assert.equal(compileFilter("Checks.Status != critical", HEALTH_SERVICE_FILTER_SCHEMA)(entry), true);
    assert.equal(compileFilter("not Checks.Status != passing", HEALTH_SERVICE_FILTER_SCHEMA)(entry), false);
  });

  it("accepts agent-only fields on agent endpoints", () => {
    assert.equal(compileFilter("Datacenter == dc1", AGENT_SERVICE_FILTER_SCHEMA)({ Datacenter: "dc1" }), true);
    assert.equal(compileFilter("Type == http", AGENT_CHECK_FILTER_SCHEMA)({ Type: "http" }), true);
  });

  it("compiles an already parsed tree", () => {
    const f = compileParsedFilter(parseFilter("ServicePort == 80"), CATALOG_SERVICE_FILTER_SCHEMA);
    assert.equal(f({ ServicePort: 80 }), true);
  });

  it("reports data that contradicts the schema", () => {
    const f = compileFilter("ServicePort == 80", CATALOG_SERVICE_FILTER_SCHEMA);
    assert.throws(
      () => f({ ServicePort: "80" }),
      (err: unknown) => err instanceof FilterEvaluationError && err.selector === "ServicePort",
    );
  });

  it("does not treat inherited properties as map keys", () => {
    assert.equal(compileFilter("toString in NodeMeta", CATALOG_SERVICE_FILTER_SCHEMA)({ NodeMeta: {} }), false);
    assert.equal(compileFilter("NodeMeta.constructor == x", CATALOG_SERVICE_FILTER_SCHEMA)({ NodeMeta: {} }), false);
  });
});
