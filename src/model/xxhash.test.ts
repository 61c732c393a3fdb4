import { test } from "node:test";
import assert from "node:assert/strict";
import { Labels } from "./labels.js";
import { prometheusLabelsHash, xxhash64 } from "./xxhash.js";

// Reference values of XXH64 (seed 0) from the xxHash project's sanity checks and common tools.
test("xxhash64 matches the reference values", () => {
  const enc = new TextEncoder();
  assert.equal(xxhash64(enc.encode("")), 0xef46db3751d8e999n);
  assert.equal(xxhash64(enc.encode("a")), 0xd24ec4f1a98c6e5bn);
  assert.equal(xxhash64(enc.encode("abc")), 0x44bc2cf5ad770999n);
  assert.equal(xxhash64(enc.encode("message digest")), 0x066ed728fceeb3ben);
  assert.equal(xxhash64(enc.encode("abcdefghijklmnopqrstuvwxyz")), 0xcfe1f278fa89835cn);
  assert.equal(xxhash64(enc.encode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")), 0xaaa46907d3047814n);
});

test("prometheusLabelsHash hashes name 0xFF value 0xFF pairs", () => {
  const l = Labels.fromRecord({ __name__: "up", job: "a" });
  const bytes = Uint8Array.from([...Buffer.from("__name__"), 0xff, ...Buffer.from("up"), 0xff, ...Buffer.from("job"), 0xff, ...Buffer.from("a"), 0xff]);
  assert.equal(prometheusLabelsHash(l), xxhash64(bytes));
});
