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

/** A process that dies is started again after this pause, so that a fault that kills at once does not spin. */
const RESTART_DELAY_MS = 1000;
/** This many deaths within the window stop the server: a fault that restarts cannot mend, for the orchestrator to see. */
const DEATHS_BEFORE_GIVING_UP = 5;
const DEATH_WINDOW_MS = 60_000;

/**
 * SERVER_PROCESSES above 1 (npm run serve on a machine of several cores): this process serves
 * nothing itself. It starts that many server processes with node:cluster, which hands each
 * connection to one of them in turn; each is an API instance like any other, with its own pool,
 * response cache and listening connection, so what instances share goes through PostgreSQL as it
 * does between machines.
 *
 * Until every process has served once, a process that dies stops the server with exit code 1: at
 * start that is a bad setting or a port in use, and another process would fail the same way.
 * Afterwards a process that dies is started again, a second later; five deaths within a minute stop
 * the server with exit code 1. SIGTERM or SIGINT drains every process, as each drains alone, and
 * this one exits when they have: 0 if all stopped cleanly.
 */
export function superviseServerProcesses(config: Config, logger: Logger): void {
  const alive = new Set<Worker>();
  const serving = new Set<Worker>();
  const deaths: number[] = [];
  let announced = false;
  let stopping = false;
  let finished = false;
  let exitCode = 0;

  const finish = () => {
    if (finished) return;
    finished = true;
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
    if (stopping) return;
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
      // Every line has the supervisor's own pid already.
      const serverProcess = worker.process.pid;
      if (stopping) {
        // One still starting has no handler yet, and SIGTERM's default ends it: nothing was lost.
        if (code !== 0 && !(signal === "SIGTERM" && !hadServed)) exitCode = 1;
        if (alive.size === 0) finish();
        return;
      }
      if (!announced) {
        logger.error({ serverProcess, code, signal }, "a server process died before the server could start; stopping the server");
        exitCode = 1;
        stop("a server process could not start");
        return;
      }
      const now = Date.now();
      deaths.push(now);
      while (deaths[0]! < now - DEATH_WINDOW_MS) deaths.shift();
      if (deaths.length >= DEATHS_BEFORE_GIVING_UP) {
        logger.error({ serverProcess, code, signal, deaths: deaths.length }, "server processes keep dying; stopping the server");
        exitCode = 1;
        stop("server processes keep dying");
        return;
      }
      // An operator's SIGTERM to one process ends it cleanly (code 0): replaced all the same.
      if (code === 0) logger.warn({ serverProcess }, "a server process exited; starting another");
      else logger.error({ serverProcess, code, signal }, "a server process died; starting another");
      setTimeout(start, RESTART_DELAY_MS);
    });
  };

  for (let i = 0; i < config.serverProcesses; i += 1) start();
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
