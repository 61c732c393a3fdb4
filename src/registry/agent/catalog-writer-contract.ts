// The contract every CatalogWriter passes; run by catalog-writer.test.ts for each implementation.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CatalogRejectedError, type CatalogWriter } from "./catalog-writer.js";

/** A writer under test and how to release it. */
export interface WriterFixture {
  readonly writer: CatalogWriter;
  close(): Promise<void>;
}

/** Registers the shared CatalogWriter cases under `name`. */
export function catalogWriterContract(name: string, setup: () => Promise<WriterFixture>): void {
  describe(`CatalogWriter contract: ${name}`, () => {
    let f: WriterFixture;
    const signal = AbortSignal.timeout(10_000);
    before(async () => {
      f = await setup();
    });
    after(() => f.close());

    it("reads an unknown node as undefined", async () => {
      assert.equal(await f.writer.nodeState("nobody", signal), undefined);
    });

    it("registers a node, a service and its checks, and reads them back", async () => {
      await f.writer.register(
        {
          Node: "w1",
          Address: "10.1.0.1",
          Service: { ID: "web-1", Service: "web", Tags: ["a"], Port: 80 },
          Checks: [{ CheckID: "web-ttl", Name: "ttl", Status: "passing", ServiceID: "web-1" }],
        },
        signal,
      );
      await f.writer.register({ Node: "w1", Address: "10.1.0.1", SkipNodeUpdate: true, Check: { CheckID: "disk", Name: "disk", Status: "warning", Output: "90%" } }, signal);
      const state = await f.writer.nodeState("w1", signal);
      assert.deepEqual(state?.services.map((s) => [s.ID, s.Service, s.Port, s.Tags]), [["web-1", "web", 80, ["a"]]]);
      assert.deepEqual(state?.checks.map((c) => [c.CheckID, c.Status, c.ServiceID, c.Output]), [
        ["disk", "warning", "", "90%"],
        ["web-ttl", "passing", "web-1", ""],
      ]);
    });

    it("deregisters a service with its checks, and a check alone; removing the absent succeeds", async () => {
      await f.writer.deregister({ Node: "w1", ServiceID: "web-1" }, signal);
      await f.writer.deregister({ Node: "w1", ServiceID: "web-1" }, signal);
      let state = await f.writer.nodeState("w1", signal);
      assert.deepEqual(state?.services, []);
      assert.deepEqual(state?.checks.map((c) => c.CheckID), ["disk"]);
      await f.writer.deregister({ Node: "w1", CheckID: "disk" }, signal);
      state = await f.writer.nodeState("w1", signal);
      assert.deepEqual(state?.checks, []);
    });

    it("rejects an invalid registration with CatalogRejectedError 400", async () => {
      await assert.rejects(
        f.writer.register({ Node: "w1", Address: "10.1.0.1", Service: { Service: "" } }, signal),
        (err: unknown) => err instanceof CatalogRejectedError && err.status === 400 && /service name/.test(err.message),
      );
    });
  });
}
