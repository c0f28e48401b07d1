import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

/** JSON lines on stdout, one per event, for the log collector; pipe through pino-pretty to read them by eye. */
export function createLogger(config: Pick<Config, "logLevel" | "environment">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "newsroom-cms", env: config.environment },
    redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" },
  });
}
