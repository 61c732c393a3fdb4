import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatHostPort, parseListenAddress } from "./listen-address.js";

describe("parseListenAddress", () => {
  const ok: [string, string, number][] = [
    ["127.0.0.1:9090", "127.0.0.1", 9090],
    [":9090", "0.0.0.0", 9090],
    ["[::1]:0", "::1", 0],
    ["localhost:65535", "localhost", 65535],
  ];
  for (const [input, host, port] of ok) {
    it(`parses ${input}`, () => assert.deepEqual(parseListenAddress(input), { host, port }));
  }
  for (const bad of ["9090", "host:", "host:65536", "host:abc", "::1:9090", "[::1:9090"]) {
    it(`rejects ${bad}`, () => assert.throws(() => parseListenAddress(bad), { code: "invalid_listen_address" }));
  }
  it("formats IPv6 with brackets", () => {
    assert.equal(formatHostPort("::1", 80), "[::1]:80");
    assert.equal(formatHostPort("10.0.0.1", 80), "10.0.0.1:80");
  });
});
