import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AclStateCorruptError } from "./errors.js";
import { fileAclStateStore } from "./file-store.js";
import { memoryAclStateStore, type AclState, type AclStateStore } from "./state.js";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "meridian-acl-"));
  dirs.push(d);
  return d;
}

function sample(n: number): AclState {
  return {
    version: 1,
    index: n,
    bootstrapAccessorID: "b",
    policies: [{ ID: "p", Name: "web", Description: "", Rules: `service "web" { policy = "write" }`, Datacenters: [], CreateIndex: 1, ModifyIndex: n }],
    tokens: [{ AccessorID: "a", SecretID: "s", Description: `rev ${n}`, PolicyIDs: ["p"], Local: false, CreateTime: "2024-01-01T00:00:00.000Z", CreateIndex: 1, ModifyIndex: n }],
  };
}

// The contract every AclStateStore keeps; each implementation runs all of it.
const implementations: [string, () => Promise<AclStateStore>][] = [
  ["memory", async () => memoryAclStateStore()],
  ["file", async () => fileAclStateStore(join(await tempDir(), "acl.json"))],
];
for (const [name, make] of implementations) {
  describe(`AclStateStore contract: ${name}`, () => {
    it("loads undefined before the first save", async () => {
      assert.equal(await (await make()).load(), undefined);
    });
    it("loads what was saved last", async () => {
      const store = await make();
      await store.save(sample(1));
      await store.save(sample(2));
      assert.deepEqual(await store.load(), sample(2));
    });
    it("keeps its own copy", async () => {
      const store = await make();
      const s = sample(3);
      await store.save(s);
      s.tokens.length = 0;
      const loaded = await store.load();
      assert.equal(loaded?.tokens.length, 1);
      loaded!.policies.length = 0;
      assert.equal((await store.load())?.policies.length, 1);
    });
    it("honours an aborted signal on save", async () => {
      const store = await make();
      await store.save(sample(1));
      if (name === "memory") return; // nothing to abort
      await assert.rejects(store.save(sample(2), AbortSignal.abort()));
      assert.deepEqual(await store.load(), sample(1));
    });
  });
}

describe("fileAclStateStore", () => {
  it("survives a reopen, leaves no temp file, and keeps secrets private", async () => {
    const dir = await tempDir();
    const path = join(dir, "acl.json");
    await fileAclStateStore(path).save(sample(7));
    assert.deepEqual(await fileAclStateStore(path).load(), sample(7));
    assert.deepEqual(await readdir(dir), ["acl.json"]);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it("refuses a corrupt file rather than starting with no tokens", async () => {
    const path = join(await tempDir(), "acl.json");
    await writeFile(path, "{ not json");
    await assert.rejects(fileAclStateStore(path).load(), AclStateCorruptError);
    await writeFile(path, JSON.stringify({ version: 1, index: 1 }));
    await assert.rejects(fileAclStateStore(path).load(), AclStateCorruptError);
  });

  it("holds a complete state after kill -9 in the middle of saving", async () => {
    const path = join(await tempDir(), "acl.json");
    const storeModule = fileURLToPath(new URL("./file-store.js", import.meta.url));
    // A child saves ever larger states in a loop until it is killed without warning.
    const script = `
      const { fileAclStateStore } = await import(${JSON.stringify(storeModule)});
      const store = fileAclStateStore(${JSON.stringify(path)});
      const base = ${JSON.stringify(sample(0))};
      for (let n = 1; ; n++) {
        base.index = n;
        base.tokens.push({ ...base.tokens[0], AccessorID: "a" + n, SecretID: "s" + n, Description: "x".repeat(n % 500) });
        await store.save(base);
        if (n === 20) process.stdout.write("ready\\n");
      }`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise((r) => child.on("exit", r));
    child.kill("SIGKILL");
    await exited;
    const loaded = await fileAclStateStore(path).load();
    assert.ok(loaded && loaded.index >= 20);
    // Token n was added by save n, so a complete file has exactly index + 1 tokens.
    assert.equal(loaded.tokens.length, loaded.index + 1);
  });
});
