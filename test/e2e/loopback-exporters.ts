// Loopback HTTP exporters for end-to-end scrape tests: fixed expositions, a failing one and a
// hanging one, each on its own ephemeral port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A running loopback exporter. */
export interface LoopbackExporter {
  /** `127.0.0.1:port`, as a scrape target. */
  readonly address: string;
  /** Closes the server and any connection it still holds (the hanging exporter's). */
  close(): void;
}

/** Answers one scrape request. */
export type ExporterHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Starts a loopback server with `handler`. */
export async function startExporter(handler: ExporterHandler): Promise<LoopbackExporter> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A handler serving `text` (or what `text` makes of the request) as text format 0.0.4. */
export function exposition(text: string | ((url: URL) => string)): ExporterHandler {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://exporter");
    res.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    res.end(typeof text === "string" ? text : text(url));
  };
}

/** A handler answering every scrape with `status` and a short body. */
export function failing(status: number): ExporterHandler {
  return (_req, res) => {
    res.statusCode = status;
    res.end("exporter failure\n");
  };
}

/** A handler that never answers, so the scrape runs into its timeout. */
export const hanging: ExporterHandler = () => {
  // The connection stays open until the scraper gives up or the server closes.
};
