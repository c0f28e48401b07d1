import { loadConfig } from "./config.js";
import { connectDatabase } from "./db/client.js";
import { createLogger } from "./logger.js";
import { schedulerConcurrency, startScheduler } from "./scheduling/scheduler.js";

/**
 * npm run worker: the scheduler alone, for deployments that run it apart from the API instances
 * (then start those with SCHEDULER=off, or leave them on: any number of schedulers publish each
 * story once). It serves no requests.
 */
const config = loadConfig();
const logger = createLogger(config);
const database = await connectDatabase(config.database);
const scheduler = startScheduler({ database, settings: config.scheduler, concurrency: schedulerConcurrency(config.database), log: logger });
logger.info({ database: config.database.kind, pollSeconds: config.scheduler.pollSeconds }, "scheduling worker started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing the publications under way");
  await scheduler.stop();
  await database.close();
  logger.info("stopped");
  logger.flush(() => process.exit(0));
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
