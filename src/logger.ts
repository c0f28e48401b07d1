import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type DestinationStream, type Logger } from "pino";
import { pinoHttp, type HttpLogger } from "pino-http";
import type { SerializedRequest, SerializedResponse } from "pino-std-serializers";
import type { Config } from "./config.js";

/** JSON lines on stdout, one per event, for the log collector; pipe through pino-pretty to read them by eye. */
export function createLogger(config: Pick<Config, "logLevel" | "environment">, destination?: DestinationStream): Logger {
  // No redaction paths: the request log's serializers (below) keep a few named headers, never a
  // token or a cookie, and no other line logs a request; paths to redact would be checked in every
  // line and every request's child logger.
  const options = {
    level: config.logLevel,
    // The pid tells apart the lines of server processes sharing one output (SERVER_PROCESSES).
    base: { service: "newsroom-cms", env: config.environment, pid: process.pid },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Request headers a log line keeps: who asked, and through what. */
const LOGGED_REQUEST_HEADERS = ["user-agent", "referer", "origin", "x-forwarded-for"];
/** Answer headers a log line keeps: what was sent, and whether a cache answered. */
const LOGGED_RESPONSE_HEADERS = ["content-type", "content-length", "cache-control", "x-cache"];

/** Starts a request's log: called once per request, by express as middleware or before express. */
export type RequestLog = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** The request's id: the client's X-Request-Id when it is a plain token, else a new one; echoed in the answer. */
function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader("x-request-id", id);
  return id;
}

/**
 * One line per request when its answer is sent, with its id, and `req.log` for the request's other
 * lines, which carry the id too.
 */
export function createRequestLog(logger: Logger): RequestLog {
  const requestLog = pinoHttpOver(logger);
  if (logger.isLevelEnabled(REQUEST_LINE_LEVEL)) return requestLog;
  // At a level that leaves request lines out (LOG_LEVEL=warn), pino-http would still make and
  // serialize a child logger per request and listen for the end of its answer, for a line that is
  // never written: a tenth of a cache hit's CPU. Then a request gets its id, and its child logger
  // only when something logs through it. The accessor is one for every request: V8 shares the
  // hidden class of objects with the same accessor functions, where a getter made per request gave
  // each request a class of its own and made hits slower than before.
  const lazyLog: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get(this: IncomingMessage & { [childLogger]?: Logger }) {
      return (this[childLogger] ??= requestLog.logger.child({ req: this }));
    },
  };
  return (req, res, next) => {
    req.id = requestIdOf(req, res);
    Object.defineProperty(req, "log", lazyLog);
    next?.();
  };
}

/** Where a request keeps the child logger that `req.log` made for it. */
const childLogger = Symbol("childLogger");

/** pino-http writes its lines at info, whatever the status: errors have lines of their own. */
const REQUEST_LINE_LEVEL = "info";

function pinoHttpOver(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    useLevel: REQUEST_LINE_LEVEL,
    genReqId: requestIdOf,
    // The operation is known at the end, once express has read the body; added to the line then,
    // not bound to a child logger, which every request would pay for.
    customSuccessObject: (req, _res, line: object) => withOperationName(req, line),
    customErrorObject: (req, _res, _error, line: object) => withOperationName(req, line),
    autoLogging: { ignore: (req) => req.url === "/health" },
    // What a line keeps of a request and its answer: enough to trace it, never a token or a cookie.
    // Writing every header of both took more CPU than a cache hit's own work.
    serializers: {
      req: (req: SerializedRequest) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        headers: pickHeaders(req.headers, LOGGED_REQUEST_HEADERS),
      }),
      res: (res: SerializedResponse) => ({ statusCode: res.statusCode, headers: pickHeaders(res.headers, LOGGED_RESPONSE_HEADERS) }),
    },
  });
}

function withOperationName(req: IncomingMessage, line: object): object {
  const operationName = (req as IncomingMessage & { body?: { operationName?: unknown } }).body?.operationName;
  return operationName === undefined ? line : { ...line, operationName };
}

function pickHeaders(headers: Record<string, unknown> | undefined, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (headers?.[name] !== undefined) picked[name] = headers[name];
  return picked;
}
