import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DiscoveryConfigError } from "../errors.js";
import { globMatcher } from "./glob.js";

describe("globMatcher (Go filepath.Match, one element)", () => {
  const cases: [string, string, boolean][] = [
    ["*.json", "a.json", true],
    ["*.json", ".hidden.json", true],
    ["*.json", "a.json.bak", false],
    ["a*b*.yml", "axxbyy.yml", true],
    ["node-?.json", "node-1.json", true],
    ["node-?.json", "node-10.json", false],
    ["[ab].json", "b.json", true],
    ["[^ab].json", "b.json", false],
    ["[a-c]x.json", "cx.json", true],
    ["\\*.json", "*.json", true],
    ["\\*.json", "a.json", false],
    ["a.b.json", "aXb.json", false],
  ];
  for (const [pattern, name, want] of cases) {
    it(`${pattern} ${want ? "matches" : "does not match"} ${name}`, () => assert.equal(globMatcher(pattern)(name), want));
  }
  it("refuses malformed classes", () => {
    for (const p of ["[ab.json", "[].json", "x\\"]) assert.throws(() => globMatcher(p), DiscoveryConfigError, p);
  });
});
