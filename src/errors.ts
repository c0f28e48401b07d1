import { GraphQLError, type GraphQLFormattedError } from "graphql";

/**
 * Codes a client can act on. Anything else is an internal error and is masked. BAD_USER_INPUT
 * names the field at fault; BAD_REQUEST is for a request this server does not serve at all;
 * SERVICE_UNAVAILABLE says the database cannot be reached just now, so try again.
 */
export type ErrorCode =
  "BAD_USER_INPUT" | "BAD_REQUEST" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "SERVICE_UNAVAILABLE";

/**
 * An error the client can act on: one it caused and can fix, or an outage it can wait out.
 * Services throw these; they know nothing of GraphQL, and formatError below decides how they look
 * on the wire.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, as the client named it (e.g. "input.slug"). */
    readonly field?: string,
    readonly details?: Record<string, unknown>,
    /** For the HTTP routes outside GraphQL whose answers say more than the code's status (an upload too large: 413). */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badInput = (field: string, message: string, details?: Record<string, unknown>) =>
  new AppError("BAD_USER_INPUT", message, field, details);
export const badRequest = (message: string, details?: Record<string, unknown>) => new AppError("BAD_REQUEST", message, undefined, details);
export const unauthenticated = (message = "Sign in: send Authorization: Bearer <token>") => new AppError("UNAUTHENTICATED", message);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const notFound = (entity: string, id: string, field?: string) => new AppError("NOT_FOUND", `${entity} ${id} was not found`, field);
export const conflict = (message: string, field?: string, details?: Record<string, unknown>) =>
  new AppError("CONFLICT", message, field, details);

/** Why an upload was refused (reason), with the HTTP status of the answer: all on the field "file". */
export const UPLOAD_REFUSALS = {
  FILE_MISSING: 400,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CORRUPT_IMAGE: 422,
  IMAGE_TOO_LARGE: 422,
  METADATA_TOO_LONG: 422,
} as const;

export type UploadRefusal = keyof typeof UPLOAD_REFUSALS;

export const refusedUpload = (reason: UploadRefusal, message: string, details?: Record<string, unknown>) =>
  new AppError("BAD_USER_INPUT", message, "file", { reason, ...details }, UPLOAD_REFUSALS[reason]);

interface UniqueViolation {
  modelName?: string;
  target?: unknown;
  driverAdapterError?: { cause?: { table?: string; constraint?: { fields?: string[]; index?: string } } };
}

/** The columns of a violated unique constraint: PGlite's adapter names them, pg's names the index. */
function uniqueFields(meta: UniqueViolation | undefined): string[] {
  if (Array.isArray(meta?.target)) return meta.target.map(String);
  const cause = meta?.driverAdapterError?.cause;
  if (cause?.constraint?.fields?.length) return cause.constraint.fields;
  const index = cause?.constraint?.index;
  const table = cause?.table;
  const columns = index && table && new RegExp(`^${table}_(.+)_key$`).exec(index)?.[1];
  return columns ? [columns] : [];
}

/** Failures the database reports that a client caused: a taken unique value, a broken quote rule. */
function fromDatabaseError(error: unknown): AppError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, meta, message } = error as { code?: unknown; meta?: UniqueViolation; message?: unknown };
  if (code === "P2002") {
    const fields = uniqueFields(meta);
    const what = fields.length ? fields.join(", ") : "value";
    const model = meta?.modelName?.toLowerCase() ?? "record";
    return conflict(`Another ${model} already has this ${what}`, fields[0], { reason: "ALREADY_EXISTS" });
  }
  if (code === "P2025") return new AppError("NOT_FOUND", "The record was not found");
  // Inputs are checked against the column lengths first; this catches a path that was missed.
  if (code === "P2000") return badInput("input", "A value is longer than its field allows");
  if (typeof message === "string") {
    const verbatim = /direct quote does not appear verbatim[^\n]*/.exec(message);
    if (verbatim) return badInput("quote", verbatim[0]);
  }
  return undefined;
}

/** Prisma's codes for a database it cannot reach, that closed the connection, or timed out. */
const UNREACHABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
/** The driver adapters' names for the same (driverAdapterError.cause.kind). */
const UNREACHABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Node's, when pg's socket cannot connect or breaks. */
const SOCKET_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "EPIPE"]);
/**
 * PostgreSQL's: class 08 (connection exceptions), too many connections, and 57P01 to 57P03 (shut
 * down by an administrator or a crash; cannot connect now, while starting, stopping, recovering).
 */
const UNAVAILABLE_SQLSTATES = /^(08[0-9A-Z]{3}|53300|57P0[123])$/;
/** What pg and PGlite throw, with no code, when the connection breaks or the database is closed. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|PGlite is closed)$/;

interface AdapterFailure {
  kind?: unknown;
  originalCode?: unknown;
  originalMessage?: unknown;
}

interface DatabaseFailure {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: AdapterFailure;
  meta?: { driverAdapterError?: { cause?: AdapterFailure } };
}

const serviceUnavailable = () => new AppError("SERVICE_UNAVAILABLE", "The database cannot be reached just now; try again shortly");

/**
 * Whether the database could not be reached or went away, as either adapter reports it: through
 * Prisma, which wraps the adapter's error in meta, or from the adapter itself, as the replica
 * router (src/db/replicas.ts) sees it.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message, meta, cause: ownCause } = error as DatabaseFailure;
  const cause = meta?.driverAdapterError?.cause ?? (name === "DriverAdapterError" ? ownCause : undefined);
  return (
    (typeof code === "string" &&
      (UNREACHABLE_PRISMA_CODES.has(code) || SOCKET_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) ||
    (typeof cause?.kind === "string" && UNREACHABLE_ADAPTER_KINDS.has(cause.kind)) ||
    (typeof cause?.originalCode === "string" && UNAVAILABLE_SQLSTATES.test(cause.originalCode)) ||
    (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message))
  );
}

/**
 * A streaming replica cancels a query whose rows replay is about to remove ("conflict with
 * recovery", serialization_failure): nothing is wrong with the query, and the primary can answer it.
 */
export function isRecoveryConflict(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, meta, cause: ownCause } = error as DatabaseFailure;
  const cause = meta?.driverAdapterError?.cause ?? (name === "DriverAdapterError" ? ownCause : undefined);
  return (
    cause?.originalCode === "40001" && typeof cause.originalMessage === "string" && /conflict with recovery/i.test(cause.originalMessage)
  );
}

/** PostgreSQL's query_canceled: what a statement stopped by statement_timeout fails with. */
const QUERY_CANCELED = "57014";

/** Whether a statement failed because PostgreSQL stopped it at its time limit, as either adapter reports it. */
export function isStatementTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as DatabaseFailure;
  const cause = meta?.driverAdapterError?.cause as { originalCode?: unknown; code?: unknown } | undefined;
  return code === QUERY_CANCELED || cause?.originalCode === QUERY_CANCELED || cause?.code === QUERY_CANCELED;
}

export function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return serviceUnavailable();
  return fromDatabaseError(error);
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SERVICE_UNAVAILABLE: 503,
};

/** How long a client should wait before trying again while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** Only for errors raised outside GraphQL execution; inside it, errors travel in a 200 response. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The headers that go with a code's status: Retry-After for an outage. */
export function httpHeadersOf(code: ErrorCode): Record<string, string> {
  return code === "SERVICE_UNAVAILABLE" ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {};
}

/**
 * The status and headers of a GraphQL response whose errors came out of execution, which
 * otherwise goes out as 200: an operation that failed because the database is unavailable is
 * worth retrying as a whole, and clients and load balancers know that by 503 and Retry-After.
 */
export function httpHeadOfResult(
  errors: readonly GraphQLFormattedError[],
): { status: number; headers: Record<string, string> } | undefined {
  if (!errors.some((error) => error.extensions?.code === "SERVICE_UNAVAILABLE")) return undefined;
  return { status: httpStatusOf("SERVICE_UNAVAILABLE"), headers: httpHeadersOf("SERVICE_UNAVAILABLE") };
}

/** For the few places that must throw a GraphQLError themselves (context, plugins), with its code's HTTP status. */
export function toGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: error.code,
      ...(error.field ? { field: error.field } : {}),
      ...(error.details ?? {}),
      // Apollo takes the response's status and headers from here; it wants the headers as a Map.
      http: { status: httpStatusOf(error.code), headers: new Map(Object.entries(httpHeadersOf(error.code))) },
    },
  });
}

/** What a client error looks like in a response's errors, wherever it was raised. */
function wireError(error: AppError, at: Pick<GraphQLFormattedError, "locations" | "path"> = {}): GraphQLFormattedError {
  return {
    message: error.message,
    locations: at.locations,
    path: at.path,
    extensions: {
      code: error.code,
      ...(error.field ? { field: error.field } : {}),
      ...(error.details ?? {}),
    },
  };
}

/** The whole HTTP response for a client error raised outside GraphQL, by the HTTP layer itself. */
export function httpResponseOf(error: AppError): {
  status: number;
  headers: Record<string, string>;
  body: { errors: GraphQLFormattedError[] };
} {
  return { status: error.httpStatus ?? httpStatusOf(error.code), headers: httpHeadersOf(error.code), body: { errors: [wireError(error)] } };
}

interface RaisedError {
  originalError?: unknown;
  extensions?: { code?: unknown; http?: { status?: unknown } };
}

/**
 * Apollo raises a few errors about the request itself with an HTTP 4xx status but no code: a
 * persisted query whose hash does not match its text, or of a version it does not know. They are
 * the client's to fix, and go out as BAD_REQUEST with Apollo's message.
 */
function isUncodedBadRequest(error: unknown): boolean {
  const extensions = (error as RaisedError | undefined)?.extensions;
  const status = extensions?.http?.status;
  return extensions?.code === undefined && typeof status === "number" && status >= 400 && status < 500;
}

/** Whether an error is the server's own fault, so masked on the wire and logged as an error. */
export function isInternalError(error: unknown): boolean {
  const raised = error as RaisedError | undefined;
  if (asAppError(raised?.originalError ?? error) || isUncodedBadRequest(error)) return false;
  const code = raised?.extensions?.code;
  return typeof code !== "string" || code === "INTERNAL_SERVER_ERROR";
}

export interface WireErrorOptions {
  exposeInternalErrors: boolean;
}

/**
 * What every error looks like on the wire. Client errors keep their message, code and field;
 * everything else becomes a bare INTERNAL_SERVER_ERROR so that no stack, SQL or driver detail
 * leaks, unless the operator asked to see internals (never in production).
 */
export function formatError(formatted: GraphQLFormattedError, original: unknown, options: WireErrorOptions): GraphQLFormattedError {
  const appError = asAppError((original as RaisedError | undefined)?.originalError ?? original);
  if (appError) return wireError(appError, formatted);
  if (isUncodedBadRequest(original)) return { message: formatted.message, extensions: { code: "BAD_REQUEST" } };
  const code = formatted.extensions?.code;
  if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") {
    // GraphQL's own validation and parsing errors, and Apollo's bad-request codes, are the client's.
    const { stacktrace: _omitted, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (options.exposeInternalErrors) return formatted;
  return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
