import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CatalogStore, type CatalogOp } from "../catalog/index.js";
import { ServerUnreachableError } from "./catalog-writer.js";
import { catalogWriterContract } from "./catalog-writer-contract.js";
import { httpCatalogWriter } from "./http-catalog-writer.js";
import { storeCatalogWriter } from "./store-catalog-writer.js";
import { startCatalogServer } from "./test-support.js";

catalogWriterContract("store", async () => {
  const store = new CatalogStore("dc1");
  const write = async (op: CatalogOp) => store.apply(op)?.index ?? store.index;
  return { writer: storeCatalogWriter({ store, write }), close: async () => undefined };
});

catalogWriterContract("http", async () => {
  const server = await startCatalogServer();
  return { writer: httpCatalogWriter({ serverUrl: server.url }), close: () => server.close() };
});

describe("httpCatalogWriter", () => {
  it("reports a server that does not answer as unreachable", async () => {
    const server = await startCatalogServer();
    await server.close();
    const writer = httpCatalogWriter({ serverUrl: server.url, timeoutMs: 2000 });
    await assert.rejects(writer.register({ Node: "x", Address: "1.2.3.4" }, AbortSignal.timeout(5000)), ServerUnreachableError);
    await assert.rejects(writer.nodeState("x", AbortSignal.timeout(5000)), ServerUnreachableError);
  });
});
