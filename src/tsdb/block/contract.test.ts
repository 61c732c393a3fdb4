import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Matcher } from "../../model/index.js";
import { MemoryStorage, emptySeriesSet, runStorageContract, type Appender, type Querier, type Storage } from "../../storage/index.js";
import { BlockReader, writeBlock } from "./index.js";
import { testUlids } from "./testing.js";

/**
 * Blocks are immutable, so the storage contract runs against an adapter: appends go to a
 * MemoryStorage (which owns the append-side rules: ordering, duplicates, rollback, close), and
 * every commit writes all committed data as a fresh block that then answers every query. The
 * read-side cases thus exercise BlockReader end to end; the append-side ones exercise the adapter.
 */
class BlockBackedStorage implements Storage {
  readonly #mem = new MemoryStorage();
  readonly #dir: string;
  readonly #ulids = testUlids();
  #reader: BlockReader | undefined;
  #blockDir: string | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  appender(): Appender {
    const app = this.#mem.appender();
    return {
      append: (ref, labels, t, v) => app.append(ref, labels, t, v),
      rollback: () => app.rollback(),
      commit: async () => {
        await app.commit();
        await this.#rebuild();
      },
    };
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    if (this.#reader !== undefined) return this.#reader.querier(mint, maxt);
    return { select: () => emptySeriesSet(), labelNames: async () => [], labelValues: async () => [], close: async () => {} };
  }

  async close(): Promise<void> {
    await this.#mem.close();
    await this.#reader?.close();
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #rebuild(): Promise<void> {
    const q = await this.#mem.querier(-(2 ** 53), 2 ** 53);
    const written = await writeBlock(this.#dir, q.select([new Matcher("=~", "__name__", ".*")]), { ulids: this.#ulids });
    await q.close();
    await this.#reader?.close();
    if (this.#blockDir !== undefined) await rm(this.#blockDir, { recursive: true, force: true });
    this.#reader = written === undefined ? undefined : await BlockReader.open(written.dir);
    this.#blockDir = written?.dir;
  }
}

runStorageContract("BlockReader (a block rewritten at every commit)", async () => new BlockBackedStorage(await mkdtemp(join(tmpdir(), "meridian-contract-"))));
