import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { typeOf } from "../ast.js";
import type { ValueType } from "../ast.js";
import { FUNCTIONS, parseExpr, returnTypeOf } from "./index.js";

const ARGUMENT: Readonly<Record<ValueType, string>> = { vector: "x", matrix: "x[5m]", scalar: "1", string: '"a"' };

describe("FUNCTIONS", () => {
  for (const f of FUNCTIONS.values()) {
    it(`${f.name} parses with its signature`, () => {
      const args = f.argTypes.map((t) => ARGUMENT[t]);
      const query = `${f.name}(${args.join(", ")})`;
      if (f.name === "info") {
        assert.throws(() => parseExpr(query, { enableExperimentalFunctions: true }), /"info" is experimental and not supported/);
        return;
      }
      const e = parseExpr(query, { enableExperimentalFunctions: true });
      assert.equal(e.kind, "call");
      assert.equal(typeOf(e, returnTypeOf), f.returnType);
      if (f.experimental) {
        assert.throws(() => parseExpr(query), { message: `1:1: parse error: function "${f.name}" is not enabled` });
      } else {
        assert.doesNotThrow(() => parseExpr(query));
      }
      const last = f.argTypes[f.argTypes.length - 1];
      if (f.variadic !== 0 && last !== undefined) {
        const fewest = args.slice(0, -1);
        assert.doesNotThrow(() => parseExpr(`${f.name}(${fewest.join(", ")})`, { enableExperimentalFunctions: true }));
        const extra = f.variadic > 0 ? f.variadic : 3;
        const most = [...fewest, ...Array<string>(extra).fill(ARGUMENT[last])];
        assert.doesNotThrow(() => parseExpr(`${f.name}(${most.join(", ")})`, { enableExperimentalFunctions: true }));
        if (f.variadic > 0) {
          assert.throws(
            () => parseExpr(`${f.name}(${[...most, ARGUMENT[last]].join(", ")})`, { enableExperimentalFunctions: true }),
            new RegExp(`expected at most ${most.length} argument\\(s\\) in call to "${f.name}", got ${most.length + 1}`),
          );
        }
      }
    });
  }

  it("has the signatures of Prometheus's table", () => {
    assert.deepEqual(FUNCTIONS.get("round"), { name: "round", argTypes: ["vector", "scalar"], variadic: 1, returnType: "vector", experimental: false });
    assert.deepEqual(FUNCTIONS.get("label_join")?.variadic, -1);
    assert.deepEqual(FUNCTIONS.get("histogram_quantiles")?.variadic, 9);
    assert.equal(FUNCTIONS.get("scalar")?.returnType, "scalar");
    assert.equal(FUNCTIONS.get("mad_over_time")?.experimental, true);
    assert.equal(FUNCTIONS.size, 90);
  });

  it("returnTypeOf refuses unknown functions", () => {
    assert.equal(returnTypeOf("time"), "scalar");
    assert.throws(() => returnTypeOf("nope"), /unknown function/);
  });
});
