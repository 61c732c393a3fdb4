import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../runtime/index.js";
import { parsePrometheusConfig } from "./index.js";
import { CONFIG_CASES } from "./testing-cases.js";

describe("parsePrometheusConfig errors", () => {
  for (const c of CONFIG_CASES) {
    const text = c.lines.join("\n") + "\n";
    const error = c.error;
    if (error === undefined) {
      it(`accepts ${c.name}`, () => {
        parsePrometheusConfig(text, "p.yml");
      });
      continue;
    }
    it(`rejects ${c.name}, naming line ${error.line}`, () => {
      assert.throws(
        () => parsePrometheusConfig(text, "p.yml"),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError, String(err));
          assert.equal(err.code, "invalid_config");
          assert.equal(err.line, error.line, err.message);
          assert.match(err.message, new RegExp(`^p\\.yml:${error.line}: `));
          assert.match(err.message, error.message);
          return true;
        },
      );
    });
  }
});
