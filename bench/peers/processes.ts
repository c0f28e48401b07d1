import cluster from "node:cluster";
import path from "node:path";
import { exitWithParent } from "./peer-server.js";

/**
 * A peer in PROCESSES server processes sharing its port, with node:cluster as the API runs with
 * SERVER_PROCESSES, so that each contender has as many processes as the others: this process
 * serves nothing and runs PEER_SCRIPT in each of them. SIGTERM stops them; so does the bench's
 * exit, as for a peer alone.
 */
const { PEER_SCRIPT, PROCESSES } = process.env;
const processes = Number(PROCESSES);
if (!PEER_SCRIPT || !Number.isInteger(processes) || processes < 1) throw new Error("PEER_SCRIPT and PROCESSES must be set");

cluster.setupPrimary({ exec: path.resolve(PEER_SCRIPT) });
const workers = Array.from({ length: processes }, () => cluster.fork());
let running = workers.length;
let stopping = false;
const stop = () => {
  stopping = true;
  for (const worker of workers) worker.process.kill("SIGTERM");
};
for (const worker of workers) {
  worker.once("exit", (code, signal) => {
    running -= 1;
    // A peer process gone by itself would skew the measurement: the others stop, and the bench sees it.
    if (stopping) {
      if (code !== 0 && signal !== "SIGTERM") process.exitCode = 1;
    } else {
      console.error(`${PEER_SCRIPT} process ${worker.process.pid} ended (code ${code}, signal ${signal}); stopping the others`);
      process.exitCode = 1;
      stop();
    }
    if (running === 0) process.exit();
  });
}
process.on("SIGTERM", stop);
exitWithParent();
