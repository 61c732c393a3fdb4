import { createServer } from "node:net";

/** Loopback address every peer listens on, so tests never expose ports beyond the machine. */
export const LOOPBACK = "127.0.0.1";

/**
 * Returns a loopback TCP port that was free a moment ago; another process may take it before the
 * caller binds it, which is why peer start retries on "address already in use".
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** Whether `port` on loopback can be bound right now (used to prove a stopped peer released it). */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}
