import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";
import { loadYamlConfig, parseYamlConfig } from "./config.js";
import { ConfigError } from "./errors.js";

const schema = z
  .object({
    listen: z.string().optional(),
    nested: z.object({ interval: z.string(), targets: z.array(z.object({ host: z.string() }).strict()).optional() }).strict().optional(),
  })
  .strict();

describe("parseYamlConfig", () => {
  it("accepts a valid file and an empty one", () => {
    assert.deepEqual(parseYamlConfig("listen: 127.0.0.1:1\n", schema), { listen: "127.0.0.1:1" });
    assert.deepEqual(parseYamlConfig("", schema), {});
    assert.deepEqual(parseYamlConfig("# only a comment\n", schema), {});
  });

  const cases: { name: string; text: string; line: number; message: RegExp }[] = [
    { name: "unknown top-level field", text: "listen: a:1\nbogus: 1\n", line: 2, message: /field bogus not found in type config/ },
    { name: "unknown nested field", text: "nested:\n  interval: 1s\n  extra: true\n", line: 3, message: /field extra not found in type nested/ },
    { name: "unknown field in a list item", text: "nested:\n  interval: 1s\n  targets:\n    - host: a\n    - hots: b\n", line: 5, message: /field hots not found in type nested\.targets\.1/ },
    { name: "wrong type", text: "listen: 5\n", line: 1, message: /listen: .*string/ },
    { name: "missing required field", text: "nested:\n  targets: []\n", line: 2, message: /nested\.interval/ },
    { name: "YAML syntax error", text: "listen: [unclosed\n", line: 2, message: /yaml:/ },
    { name: "duplicate key", text: "listen: a:1\nlisten: b:2\n", line: 2, message: /yaml: .*[Uu]nique|duplicate/i },
  ];
  for (const c of cases) {
    it(`rejects ${c.name} naming its line`, () => {
      assert.throws(
        () => parseYamlConfig(c.text, schema, "x.yml"),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError, String(err));
          assert.equal(err.code, "invalid_config");
          assert.equal(err.line, c.line, err.message);
          assert.match(err.message, c.message);
          assert.match(err.message, new RegExp(`^x\\.yml:${c.line}: `));
          return true;
        },
      );
    });
  }
});

describe("loadYamlConfig", () => {
  it("reads a file and reports a missing one as ConfigError", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-config-"));
    try {
      const file = join(dir, "m.yml");
      await writeFile(file, "listen: 127.0.0.1:9\n");
      assert.deepEqual(await loadYamlConfig(file, schema), { listen: "127.0.0.1:9" });
      await assert.rejects(loadYamlConfig(join(dir, "absent.yml"), schema), { code: "invalid_config", message: /cannot read/ });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
