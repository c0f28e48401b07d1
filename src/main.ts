import cluster from "node:cluster";
import type { Logger } from "pino";
import { loadConfig, type Config } from "./config.js";
import { createLogger } from "./logger.js";
import { superviseServerProcesses, type ServingMessage } from "./supervisor.js";

const config = loadConfig();
const logger = createLogger(config);
if (config.serverProcesses > 1 && cluster.isPrimary) superviseServerProcesses(config, logger);
else await serve(config, logger);

/** One API instance in this process: alone, or one of the supervisor's server processes. */
async function serve(config: Config, logger: Logger): Promise<void> {
  // Loaded here, not above, so that a supervisor, which serves nothing, never loads the server
  // (Prisma, Apollo, the schema): 130 MB of its 210 MB resident.
  await import("reflect-metadata");
  const { connectDatabase } = await import("./db/client.js");
  const { createServer } = await import("./server.js");
  const database = await connectDatabase(config.database, {
    replicas: { urls: config.replicaUrls, log: logger },
    serveDeskCommands: { log: logger },
  });
  const server = await createServer({ config, database, logger });
  const url = await server.listen(config.port, config.host);
  const details = {
    url,
    database: config.database.kind,
    replicas: database.replicas.map((replica) => replica.name),
    ide: config.graphqlIde,
    responseCache: config.responseCache.enabled,
  };
  // Under PM2's cluster mode this is a worker too, but PM2 is its supervisor: it gets the usual line.
  if (cluster.isWorker && config.serverProcesses > 1) {
    logger.info(details, "server process ready");
    process.send!({ serving: url } satisfies ServingMessage);
  } else {
    logger.info(details, `Newsroom GraphQL API ready at ${url}`);
  }

  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    const deadline = setTimeout(
      () => {
        logger.error("in-flight requests did not finish in time; exiting");
        process.exit(1);
      },
      (config.shutdownGraceSeconds + 5) * 1000,
    );
    deadline.unref();
    await server.stop();
    logger.info("requests drained; closing the database");
    await database.close();
    logger.info("stopped");
    logger.flush(() => process.exit(0));
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
