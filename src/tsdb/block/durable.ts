import { open } from "node:fs/promises";

/** Writes `bytes` to a new file at `path` and syncs it to disk before returning. */
export async function writeFileDurable(path: string, bytes: Uint8Array | string): Promise<void> {
  const f = await open(path, "w");
  try {
    await f.writeFile(bytes);
    await f.sync();
  } finally {
    await f.close();
  }
}

/** Syncs a directory, making the creation and renaming of its entries durable. */
export async function syncDir(path: string): Promise<void> {
  const d = await open(path, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
