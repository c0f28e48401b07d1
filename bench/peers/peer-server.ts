import { createRequire } from "node:module";
import path from "node:path";
import { peerFolder, type PeerName } from "../lib/peers.js";

/** What every server the bench starts beside the API reads from its environment. */
export function peerSettings(): { databaseUrl: string; host: string; port: number; poolSize: number } {
  const { DATABASE_URL, HOST, PORT, POOL_SIZE } = process.env;
  if (!DATABASE_URL || !PORT || !POOL_SIZE) throw new Error("DATABASE_URL, PORT and POOL_SIZE must be set");
  return { databaseUrl: DATABASE_URL, host: HOST ?? "127.0.0.1", port: Number(PORT), poolSize: Number(POOL_SIZE) };
}

/** `require` resolving from the peer's own install under bench/.peers/, which the project's type checker does not see. */
export function requireFromPeer(peer: PeerName): NodeRequire {
  return createRequire(path.join(peerFolder(peer), "package.json"));
}

/**
 * The bench stops its servers whatever happens to it, but nothing can run once it is killed with
 * SIGKILL: then the server notices that it has been orphaned and exits by itself.
 */
export function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, 1000).unref();
}
