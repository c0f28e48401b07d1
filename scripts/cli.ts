import { loadConfig } from "../src/config.js";
import { connectDatabase, type DatabaseHandle } from "../src/db/client.js";

/** Opens the configured database, or ends the command with the reason (e.g. the embedded one is in use). */
export async function openDatabaseOrExit(): Promise<DatabaseHandle> {
  try {
    return await connectDatabase(loadConfig().database);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  }
}
