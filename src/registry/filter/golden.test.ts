// Every case in testdata/bexpr-v0.1.2.json was answered by the real go-bexpr v0.1.2; this test
// requires the same answer, including the exact error text, from Meridian's implementation.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  BOOL,
  CATALOG_NODE_FILTER_SCHEMA,
  CATALOG_SERVICE_FILTER_SCHEMA,
  FLOAT,
  HEALTH_CHECK_FILTER_SCHEMA,
  HEALTH_SERVICE_FILTER_SCHEMA,
  INT,
  NODE_SERVICE_FILTER_SCHEMA,
  STRING,
  UINT,
  compileFilter,
  listOf,
  mapOf,
} from "./index.js";
import type { FilterSchema } from "./index.js";

interface GoldenCase {
  readonly sample: string;
  readonly expr: string;
  readonly result?: boolean;
  readonly error?: string;
}

interface Golden {
  readonly samples: Readonly<Record<string, { readonly type: string; readonly data: unknown }>>;
  readonly cases: readonly GoldenCase[];
}

/** The Go struct each sample was decoded into, by the name the golden file uses. */
const SCHEMAS: Readonly<Record<string, FilterSchema>> = {
  serviceNode: CATALOG_SERVICE_FILTER_SCHEMA,
  checkService: HEALTH_SERVICE_FILTER_SCHEMA,
  healthCheck: HEALTH_CHECK_FILTER_SCHEMA,
  node: CATALOG_NODE_FILTER_SCHEMA,
  nodeService: NODE_SERVICE_FILTER_SCHEMA,
  scalars: { S: STRING, B: BOOL, I: INT, U: UINT, F: FLOAT, L: listOf(INT), M: mapOf(INT) },
};

/** Go's regexp parser words its errors differently from `model`'s RE2 translator; only the prefix is shared. */
const REGEX_ERROR = /^(Failed to compile regular expression "(?:[^"\\]|\\.)*": )/;

function loadGolden(): Golden {
  // Compiled tests run from dist/, and testdata is not copied there, so find the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above the test file");
    dir = parent;
  }
  return JSON.parse(readFileSync(join(dir, "src", "registry", "filter", "testdata", "bexpr-v0.1.2.json"), "utf8")) as Golden;
}

describe("filter agrees with go-bexpr v0.1.2", () => {
  const golden = loadGolden();
  for (const c of golden.cases) {
    const sample = golden.samples[c.sample];
    it(`${c.sample}: ${JSON.stringify(c.expr)}`, () => {
      assert.ok(sample !== undefined, `unknown sample ${c.sample}`);
      const schema = SCHEMAS[sample.type];
      assert.ok(schema !== undefined, `unknown type ${sample.type}`);
      if (c.error === undefined) {
        assert.equal(compileFilter(c.expr, schema)(sample.data), c.result);
        return;
      }
      const regexPrefix = REGEX_ERROR.exec(c.error)?.[1];
      assert.throws(
        () => compileFilter(c.expr, schema)(sample.data),
        (err: Error) => {
          if (regexPrefix !== undefined) assert.ok(err.message.startsWith(regexPrefix), err.message);
          else assert.equal(err.message, c.error);
          return true;
        },
      );
    });
  }
});
