// Child process for the kill -9 test: appends numbered records as fast as it can and prints
// "ack <index>" only after append() resolved, and "snap" whenever an automatic snapshot starts,
// so the parent can kill it mid-snapshot. Usage: node writer.js DIR CONCURRENCY SNAPSHOT_EVERY
import { pino } from "pino";
import { Journal } from "../index.js";

const [dir, concurrency = "1", every = "0"] = process.argv.slice(2);
if (dir === undefined) throw new Error("usage: writer.js DIR [CONCURRENCY] [SNAPSHOT_EVERY]");

// The state is every record value so far, so the parent can check order as well as presence.
const values: number[] = [];
const opened = await Journal.open<number[], number>({
  dir,
  logger: pino({ level: "silent" }),
  snapshotEvery: Number(every) > 0 ? Number(every) : undefined,
  captureState: () => {
    process.stdout.write("snap\n");
    return values;
  },
});
values.push(...(opened.snapshot ?? []), ...opened.records);
const { journal } = opened;
process.stdout.write(`ready ${journal.lastIndex}\n`);

async function writer(): Promise<never> {
  for (;;) {
    // Value and index agree because the change and its append happen in one synchronous step.
    const value = journal.lastIndex + 1;
    values.push(value);
    const index = await journal.append([value]);
    process.stdout.write(`ack ${index}\n`);
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, () => writer()));
