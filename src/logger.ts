import { pino, type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.js";

/** JSON lines on stdout, one per event, for the log collector; pipe through pino-pretty to read them by eye. */
export function createLogger(config: Pick<Config, "logLevel" | "environment">, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    base: { service: "newsroom-cms", env: config.environment },
    redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}
