import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { Logger } from "pino";
import type { DatabaseTarget } from "../config.js";
import { embeddedSocketAdapterFactory, PgAdapterFactory, PGliteAdapterFactory } from "./adapter-fixes.js";
import { embeddedSocketAnswers, embeddedSocketUrl, serveEmbeddedSocket } from "./embedded-socket.js";
import { pgliteNotifications, postgresNotifications, type Notifications } from "./notifications.js";

export interface OpenDatabase {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** LISTEN/NOTIFY on this database; it opens nothing until something subscribes. */
  notifications: Notifications;
  close(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is PostgreSQL in this process, without a postmaster to arbitrate: two processes on one
 * data folder would corrupt it. A lock file beside the folder turns that into a clear refusal
 * (the server shares the folder through its socket instead; src/db/embedded-socket.ts).
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockPath, "utf8"));
      if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
        throw new Error(
          `The embedded database at ${dataDir} is in use by process ${holder}, which does not share it on a socket ` +
            "(a server still starting, or another command). Try again when it is ready or done, " +
            "or set DATABASE_URL to a PostgreSQL server, which many processes can share.",
        );
      }
      unlinkSync(lockPath);
    }
  }
  const release = () => {
    process.off("exit", release);
    try {
      if (readFileSync(lockPath, "utf8") === String(process.pid)) unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.once("exit", release);
  return release;
}

export interface OpenDatabaseOptions {
  /**
   * For the server: share the embedded database it opens with the desk commands, on a socket in
   * its folder, until it is closed. Without it (the commands), a folder that a server shares is
   * reached through that socket, and one nobody shares is opened directly.
   */
  serveDeskCommands?: { log: Logger };
}

/** The one place that picks the embedded PGlite database or a PostgreSQL server. */
export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<OpenDatabase> {
  if (target.kind === "postgres") {
    const notifications = postgresNotifications(target.url);
    return { adapter: new PgAdapterFactory(target.url), notifications, close: () => notifications.close() };
  }
  if (target.dataDir && !options.serveDeskCommands && (await embeddedSocketAnswers(target.dataDir))) {
    const url = embeddedSocketUrl(target.dataDir);
    const notifications = postgresNotifications(url);
    return { adapter: embeddedSocketAdapterFactory(url), notifications, close: () => notifications.close() };
  }
  let release = () => {};
  if (target.dataDir) {
    mkdirSync(target.dataDir, { recursive: true });
    release = lockDataDir(target.dataDir);
  }
  try {
    const pglite = await PGlite.create(target.dataDir ?? "memory://");
    const notifications = pgliteNotifications(pglite);
    const stopServing =
      target.dataDir && options.serveDeskCommands
        ? await serveEmbeddedSocket(pglite, target.dataDir, {
            onNotification: (channel, payload) => notifications.deliver(channel, payload),
            log: options.serveDeskCommands.log,
          })
        : async () => {};
    return {
      adapter: new PGliteAdapterFactory(pglite),
      notifications,
      close: async () => {
        // First: a desk command's transaction still open is rolled back while PGlite can.
        await stopServing();
        await notifications.close();
        if (!pglite.closed) await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
