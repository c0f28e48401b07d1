import { pino, type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.js";

/** JSON lines on stdout, one per event, for the log collector; pipe through pino-pretty to read them by eye. */
export function createLogger(config: Pick<Config, "logLevel" | "environment">, destination?: DestinationStream): Logger {
  // No redaction paths: the request log's serializers (src/server.ts) keep a few named headers,
  // never a token or a cookie, and no other line logs a request; paths to redact would be checked
  // in every line and every request's child logger.
  const options = {
    level: config.logLevel,
    base: { service: "newsroom-cms", env: config.environment },
  };
  return destination ? pino(options, destination) : pino(options);
}
