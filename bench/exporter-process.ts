import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const EXPORTER = fileURLToPath(new URL("./synthetic-exporter.js", import.meta.url));

/**
 * Starts bench/synthetic-exporter in its own process (so its CPU is not charged to what is
 * measured) and resolves with it and its target addresses, read from its first output line.
 */
export async function startExporter(targets: number, series: number, refreshMs: number): Promise<{ child: ChildProcess; addresses: string[] }> {
  const child = spawn(process.execPath, [EXPORTER, "--targets", String(targets), "--series", String(series), "--refresh-ms", String(refreshMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const addresses = await new Promise<string[]>((resolve, reject) => {
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve((JSON.parse(out.slice(0, nl)) as { addresses: string[] }).addresses);
    });
    child.once("exit", (code) => reject(new Error(`exporter exited with ${code} before listening`)));
  });
  return { child, addresses };
}
