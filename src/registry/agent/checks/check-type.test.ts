import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkType, InvalidCheckError } from "./index.js";
import type { CheckDefinition } from "./index.js";

const base = { CheckID: "c1", Name: "c1" };

describe("checkType", () => {
  const valid: [string, CheckDefinition, string][] = [
    ["http", { ...base, HTTP: "http://127.0.0.1/health", IntervalMs: 10_000 }, "http"],
    ["tcp", { ...base, TCP: "127.0.0.1:80", IntervalMs: 10_000 }, "tcp"],
    ["grpc", { ...base, GRPC: "127.0.0.1:80/svc", IntervalMs: 10_000 }, "grpc"],
    ["ttl", { ...base, TTLMs: 30_000 }, "ttl"],
  ];
  for (const [name, def, want] of valid) {
    it(`accepts ${name}`, () => assert.equal(checkType(def), want));
  }

  const scriptsDisabled =
    "Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true";
  const invalid: [string, Record<string, unknown>, string | RegExp][] = [
    ["no type", { ...base }, /no type/],
    ["empty HTTP", { ...base, HTTP: "", IntervalMs: 1000 }, /no type/],
    ["Args", { ...base, Args: ["/bin/true"], IntervalMs: 1000 }, scriptsDisabled],
    ["ScriptArgs", { ...base, ScriptArgs: ["/bin/true"], IntervalMs: 1000 }, scriptsDisabled],
    ["Shell", { ...base, Shell: "/bin/sh", IntervalMs: 1000 }, scriptsDisabled],
    ["DockerContainerID", { ...base, DockerContainerID: "abc", IntervalMs: 1000 }, scriptsDisabled],
    ["script beside HTTP", { ...base, HTTP: "http://x", Args: ["x"], IntervalMs: 1000 }, scriptsDisabled],
    ["two types", { ...base, HTTP: "http://x", TCP: "x:1", IntervalMs: 1000 }, "check has more than one type (HTTP, TCP); set exactly one"],
    ["http without interval", { ...base, HTTP: "http://x" }, "Interval must be > 0 for HTTP, TCP or GRPC checks"],
    ["tcp with zero interval", { ...base, TCP: "x:1", IntervalMs: 0 }, "Interval must be > 0 for HTTP, TCP or GRPC checks"],
    ["grpc without interval", { ...base, GRPC: "x:1" }, "Interval must be > 0 for HTTP, TCP or GRPC checks"],
    ["ttl zero", { ...base, TTLMs: 0 }, "TTL must be > 0 for TTL checks"],
    ["ttl negative", { ...base, TTLMs: -1 }, "TTL must be > 0 for TTL checks"],
    ["interval and ttl", { ...base, HTTP: "http://x", IntervalMs: 1000, TTLMs: 1000 }, "Interval and TTL cannot both be specified"],
    ["H2PING", { ...base, H2PING: "x:1", IntervalMs: 1000 }, 'H2PING checks are not supported by this agent (check "c1")'],
    ["UDP", { ...base, UDP: "x:1", IntervalMs: 1000 }, 'UDP checks are not supported by this agent (check "c1")'],
    ["AliasService", { ...base, AliasService: "web" }, 'Alias checks are not supported by this agent (check "c1")'],
    ["AliasNode", { ...base, AliasNode: "n1" }, 'Alias checks are not supported by this agent (check "c1")'],
    ["negative OutputMaxSize", { ...base, TTLMs: 1000, OutputMaxSize: -1 }, "OutputMaxSize must be positive"],
    ["fractional threshold", { ...base, TCP: "x:1", IntervalMs: 1000, FailuresBeforeCritical: 1.5 }, /FailuresBeforeCritical/],
  ];
  for (const [name, def, message] of invalid) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => checkType(def as unknown as CheckDefinition),
        (err: unknown) => {
          assert.ok(err instanceof InvalidCheckError);
          assert.equal(err.code, "bad_request");
          assert.equal(err.checkID, "c1");
          if (typeof message === "string") assert.equal(err.message, message);
          else assert.match(err.message, message);
          return true;
        },
      );
    });
  }
});
