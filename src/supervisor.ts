import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { Config } from "./config.js";

/** What a server process tells the supervisor once it accepts requests. */
export interface ServingMessage {
  serving: string;
}

function isServingMessage(message: unknown): message is ServingMessage {
  return typeof message === "object" && message !== null && typeof (message as ServingMessage).serving === "string";
}

/**
 * SERVER_PROCESSES above 1 (npm run serve on a machine of several cores): this process serves
 * nothing itself. It starts that many server processes with node:cluster, which hands each
 * connection to one of them in turn; each is an API instance like any other, with its own pool,
 * response cache and listening connection, so what instances share goes through PostgreSQL as it
 * does between machines. A process that dies after it began serving is replaced. One that dies
 * before (a bad setting, the database unreachable) stops the server: another would fail the same
 * way. SIGTERM or SIGINT drains every process, as each drains alone, and this one exits when they
 * have: 0 if all stopped cleanly.
 */
export function superviseServerProcesses(config: Config, logger: Logger): void {
  const alive = new Set<Worker>();
  const serving = new Set<Worker>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  const finish = () => {
    logger.info({ exitCode }, "stopped");
    logger.flush(() => process.exit(exitCode));
  };

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, processes: alive.size }, "shutting down: draining every server process");
    const deadline = setTimeout(
      () => {
        logger.error("server processes did not stop in time; killing them");
        for (const worker of alive) worker.process.kill("SIGKILL");
        exitCode = 1;
        finish();
      },
      (config.shutdownGraceSeconds + 10) * 1000,
    );
    deadline.unref();
    if (alive.size === 0) finish();
    for (const worker of alive) worker.process.kill("SIGTERM");
  };

  const start = () => {
    const worker = cluster.fork();
    alive.add(worker);
    worker.on("message", (message: unknown) => {
      if (!isServingMessage(message)) return;
      serving.add(worker);
      if (announced || serving.size < config.serverProcesses) return;
      announced = true;
      logger.info(
        { url: message.serving, processes: config.serverProcesses, database: config.database.kind },
        `Newsroom GraphQL API ready at ${message.serving}`,
      );
    });
    worker.once("exit", (code, signal) => {
      alive.delete(worker);
      const hadServed = serving.delete(worker);
      const pid = worker.process.pid;
      if (stopping) {
        if (code !== 0) exitCode = 1;
        if (alive.size === 0) finish();
      } else if (hadServed) {
        logger.error({ pid, code, signal }, "a server process died; starting another");
        start();
      } else {
        logger.error({ pid, code, signal }, "a server process died before it could serve; stopping the server");
        exitCode = 1;
        stop("a server process could not start");
      }
    });
  };

  for (let i = 0; i < config.serverProcesses; i += 1) start();
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
