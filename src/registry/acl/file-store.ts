import { open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { AclStateCorruptError } from "./errors.js";
import type { AclState, AclStateStore } from "./state.js";

const index = z.number().int().nonnegative();
const stateSchema = z.object({
  version: z.literal(1),
  index,
  bootstrapAccessorID: z.string(),
  policies: z.array(
    z.object({
      ID: z.string(),
      Name: z.string(),
      Description: z.string(),
      Rules: z.string(),
      Datacenters: z.array(z.string()),
      CreateIndex: index,
      ModifyIndex: index,
    }),
  ),
  tokens: z.array(
    z.object({
      AccessorID: z.string(),
      SecretID: z.string(),
      Description: z.string(),
      PolicyIDs: z.array(z.string()),
      Local: z.boolean(),
      CreateTime: z.string(),
      CreateIndex: index,
      ModifyIndex: index,
    }),
  ),
});

/**
 * An AclStateStore backed by one JSON file. Each save writes a temporary file beside it, flushes
 * it, renames it over the file and flushes the directory, so `kill -9` or power loss leaves the
 * previous or the new state, never a mix. The file holds token secrets: it is created mode 0600.
 */
export function fileAclStateStore(path: string): AclStateStore {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp`);
  return {
    async load(signal) {
      let text: string;
      try {
        text = await readFile(path, { encoding: "utf8", signal });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new AclStateCorruptError(`file ${path}`, (err as Error).message, { cause: err });
      }
      const parsed = stateSchema.safeParse(raw);
      if (!parsed.success) throw new AclStateCorruptError(`file ${path}`, parsed.error.issues[0]?.message ?? "invalid shape");
      return parsed.data as AclState;
    },

    async save(state, signal) {
      signal?.throwIfAborted();
      const bytes = Buffer.from(JSON.stringify(state, null, 2) + "\n", "utf8");
      const handle = await open(temp, "w", 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        // Last point where giving up leaves nothing behind but the temporary file.
        signal?.throwIfAborted();
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      // Without this the rename itself may not survive a power loss.
      const dirHandle = await open(dir, "r");
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    },
  };
}
