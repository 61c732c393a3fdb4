// Discovery speed: from a registration on the agent to the first sample of the new target,
// over 100 registrations (the engine discovers through consul SD and scrapes every 1 s).
// Run: npm run build && node dist/bench/discovery-speed.js
import { measureDiscoverySpeed } from "../test/e2e/discovery-speed-run.js";

const { latenciesMs } = await measureDiscoverySpeed(Number(process.argv[2] ?? 100));
const sorted = [...latenciesMs].sort((a, b) => a - b);
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
console.log(JSON.stringify({ registrations: sorted.length, p50Ms: +at(0.5).toFixed(1), p99Ms: +at(0.99).toFixed(1), maxMs: +(sorted.at(-1) ?? NaN).toFixed(1) }));
