import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discovererContract, GroupCollector } from "../discoverer-contract.js";
import { staticDiscoverer } from "./discoverer.js";

discovererContract("staticDiscoverer", {
  async create(initial) {
    const keys = Object.keys(initial);
    return {
      discoverer: staticDiscoverer(keys.map((k) => ({ targets: [initial[k] as string], labels: {} }))),
      sourceOf: (key) => String(keys.indexOf(key)),
      close: async () => {},
    };
  },
});

describe("staticDiscoverer", () => {
  it("emits one group per config, numbered as Prometheus numbers static configs, with the config's labels", async () => {
    const collector = new GroupCollector();
    const controller = new AbortController();
    const done = staticDiscoverer([
      { targets: ["a:1", "b:2"], labels: { env: "prod" } },
      { targets: [], labels: {} },
      { targets: ["[::1]:9090"], labels: { __scheme__: "https" } },
    ]).run(controller.signal, collector.emit);
    assert.equal(collector.history.length, 1, "emitted at once");
    assert.deepEqual(collector.history[0], [
      { source: "0", targets: [{ __address__: "a:1" }, { __address__: "b:2" }], labels: { env: "prod" } },
      { source: "1", targets: [], labels: {} },
      { source: "2", targets: [{ __address__: "[::1]:9090" }], labels: { __scheme__: "https" } },
    ]);
    controller.abort();
    await done;
  });
});
