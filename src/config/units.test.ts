import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ByteSizeParseError, parseBase2Bytes } from "./index.js";

describe("parseBase2Bytes", () => {
  const valid: [string, number][] = [
    ["0", 0],
    ["1B", 1],
    ["10KB", 10 * 1024],
    ["10KiB", 10 * 1024],
    ["10MB", 10 * 1024 ** 2],
    ["1GiB", 1024 ** 3],
    ["1.5MB", 1.5 * 1024 ** 2],
    ["1GB512MB", 1024 ** 3 + 512 * 1024 ** 2],
    ["2TB", 2 * 1024 ** 4],
    ["-1KB", -1024],
  ];
  for (const [input, want] of valid) {
    it(`reads ${input}`, () => assert.equal(parseBase2Bytes(input), want));
  }
  // As alecthomas/units: a unit is required, "kB" is the SI spelling it refuses, and the two
  // spelling families do not mix.
  for (const input of ["", "1000", "10kB", "10mb", "1GiB512MB", "MB", ".MB", "1 MB"]) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.throws(() => parseBase2Bytes(input), ByteSizeParseError));
  }
});
