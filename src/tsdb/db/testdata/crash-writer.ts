// Crash-test child: appends to a TSDB as fast as it can with the WAL fsynced on every commit and
// prints `ack <first> <last>` once a commit resolved. The parent kills it with SIGKILL.
// Usage: node crash-writer.js DIR BLOCK_RANGE_MS
import { Labels, Matcher } from "../../../model/index.js";
import { silentLogger, systemClock } from "../../../runtime/index.js";
import { TSDB } from "../index.js";

const SERIES = 10;
const PER_COMMIT = 5;
const STEP = 100;

const [dir, range] = process.argv.slice(2);
if (dir === undefined || range === undefined) throw new Error("usage: crash-writer DIR BLOCK_RANGE_MS");
const db = await TSDB.open({ dir, logger: silentLogger(), clock: systemClock(), walFsync: "always", blockRangeMs: Number(range), compaction: false });

let t = 0;
const q = await db.querier(-(2 ** 53), 2 ** 53);
const set = q.select([new Matcher("=", "__name__", "crash")]);
while (set.next()) {
  const it = set.at().iterator();
  while (it.next()) t = Math.max(t, it.at());
}
await q.close();

const labels = Array.from({ length: SERIES }, (_, i) => Labels.fromRecord({ __name__: "crash", i: String(i) }));
const refs = new Array<number>(SERIES).fill(0);
for (;;) {
  const app = db.appender();
  const first = t + STEP;
  for (let k = 0; k < PER_COMMIT; k++) {
    t += STEP;
    for (let i = 0; i < SERIES; i++) refs[i] = app.append(refs[i] ?? 0, labels[i] as Labels, t, t * 2 + i);
  }
  await app.commit();
  process.stdout.write(`ack ${first} ${t}\n`);
}
