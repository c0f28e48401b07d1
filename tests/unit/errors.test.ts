import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import {
  AppError,
  asAppError,
  conflict,
  formatError,
  httpHeadOfResult,
  httpResponseOf,
  isDatabaseUnavailable,
  isInternalError,
  isRecoveryConflict,
  refusedUpload,
  RETRY_AFTER_SECONDS,
  toGraphQLError,
} from "../../src/errors.js";

const uniqueViolation = (cause: Record<string, unknown>) =>
  Object.assign(new Error("Unique constraint failed"), { code: "P2002", meta: { modelName: "Story", driverAdapterError: { cause } } });

describe("database errors a client caused", () => {
  it("become CONFLICT naming the field, whichever adapter reported them", () => {
    const fromPglite = asAppError(uniqueViolation({ kind: "UniqueConstraintViolation", constraint: { fields: ["slug"] } }));
    const fromPg = asAppError(
      uniqueViolation({ kind: "UniqueConstraintViolation", constraint: { index: "stories_slug_key" }, table: "stories" }),
    );
    for (const error of [fromPglite, fromPg]) {
      expect(error).toMatchObject({ code: "CONFLICT", field: "slug", message: "Another story already has this slug" });
    }
  });

  it("leave anything unknown alone", () => {
    expect(asAppError(new Error("connection reset"))).toBeUndefined();
    expect(asAppError(Object.assign(new Error("x"), { code: "P2021" }))).toBeUndefined();
  });
});

describe("a database that cannot be reached", () => {
  const prismaError = (code: string, cause: Record<string, unknown>) =>
    Object.assign(new Error("Invalid invocation"), { code, meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });

  it("is SERVICE_UNAVAILABLE, however either adapter reports it", () => {
    const reports = {
      "pg, refused": prismaError("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }),
      "pg, refused in a raw query": prismaError("P2010", { kind: "DatabaseNotReachable" }),
      "pg, shut down by the operator": prismaError("P2039", { kind: "postgres", originalCode: "57P01", code: "57P01" }),
      "pg, recovering": prismaError("P2039", { kind: "postgres", originalCode: "57P03", code: "57P03" }),
      "pg, connection dropped": prismaError("P1017", { kind: "ConnectionClosed" }),
      "pg, socket": Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      "pg, terminated mid-query": new Error("Connection terminated unexpectedly"),
      "pg, pool timeout": new Error("timeout exceeded when trying to connect"),
      "PGlite, closed": new Error("PGlite is closed"),
    };
    for (const [how, error] of Object.entries(reports)) {
      expect(asAppError(error)?.code, how).toBe("SERVICE_UNAVAILABLE");
    }
  });

  it("is told from other failures as the adapter itself reports it, before Prisma wraps it (the replica router sees these)", () => {
    // As adapter-pg builds them from pg's errors.
    const fromServer = (code: string, message: string) =>
      new DriverAdapterError({
        kind: "postgres",
        code,
        severity: "ERROR",
        message,
        detail: undefined,
        column: undefined,
        hint: undefined,
        originalCode: code,
      });
    const refused = new DriverAdapterError({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5433 });
    const shutDown = fromServer("57P01", "terminating connection due to administrator command");
    const readOnly = fromServer("25006", "cannot execute UPDATE in a read-only transaction");
    expect([refused, shutDown, readOnly].map(isDatabaseUnavailable)).toEqual([true, true, false]);
  });

  it("tells a replica's cancel for a conflict with its replay from other serialization failures", () => {
    const failure = (code: string, message: string) =>
      new DriverAdapterError({
        kind: "postgres",
        code,
        severity: "ERROR",
        message,
        detail: undefined,
        column: undefined,
        hint: undefined,
        originalCode: code,
        originalMessage: message,
      });
    const conflictWithRecovery = failure("40001", "canceling statement due to conflict with recovery");
    const serialization = failure("40001", "could not serialize access due to concurrent update");
    expect([conflictWithRecovery, serialization].map(isRecoveryConflict)).toEqual([true, false]);
    expect(isDatabaseUnavailable(conflictWithRecovery)).toBe(false);
  });

  it("goes out as 503 with Retry-After, whether raised before or during execution", () => {
    const unavailable = asAppError(new Error("PGlite is closed"))!;
    expect(httpResponseOf(unavailable)).toMatchObject({ status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } });
    expect(toGraphQLError(unavailable).extensions.http).toEqual({
      status: 503,
      headers: new Map([["retry-after", String(RETRY_AFTER_SECONDS)]]),
    });
    const errors = [{ message: "x", extensions: { code: "NOT_FOUND" } }];
    expect(httpHeadOfResult(errors)).toBeUndefined();
    expect(httpHeadOfResult([...errors, { message: "y", extensions: { code: "SERVICE_UNAVAILABLE" } }])).toEqual({
      status: 503,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
    });
  });
});

describe("what errors look like on the wire", () => {
  const formatted = { message: "raw", path: ["createStory"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at db.ts:1"] } };

  it("keeps a client error's message, code, field and details", () => {
    const original = new GraphQLError("raw", { originalError: conflict("Taken", "input.slug", { reason: "ALREADY_EXISTS" }) });
    expect(formatError(formatted, original, { exposeInternalErrors: false })).toEqual({
      message: "Taken",
      locations: undefined,
      path: ["createStory"],
      extensions: { code: "CONFLICT", field: "input.slug", reason: "ALREADY_EXISTS" },
    });
  });

  it("masks everything else unless internals are asked for", () => {
    const original = new GraphQLError("raw", { originalError: new Error('relation "stories" does not exist') });
    expect(formatError(formatted, original, { exposeInternalErrors: false })).toEqual({
      message: "Internal server error",
      path: ["createStory"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(formatError(formatted, original, { exposeInternalErrors: true })).toBe(formatted);
  });

  it("passes GraphQL's own client errors through without a stack", () => {
    const parse = { message: "Syntax Error", extensions: { code: "GRAPHQL_PARSE_FAILED", stacktrace: ["..."] } };
    expect(formatError(parse, new GraphQLError("Syntax Error"), { exposeInternalErrors: false })).toEqual({
      message: "Syntax Error",
      extensions: { code: "GRAPHQL_PARSE_FAILED" },
    });
  });

  it("answers Apollo's request errors that carry an HTTP 4xx status but no code as BAD_REQUEST, and does not count them internal", () => {
    const mismatch = new GraphQLError("provided sha does not match query", { extensions: { http: { status: 400 } } });
    const enriched = { message: mismatch.message, extensions: { code: "INTERNAL_SERVER_ERROR" } };
    expect(formatError(enriched, mismatch, { exposeInternalErrors: false })).toEqual({
      message: "provided sha does not match query",
      extensions: { code: "BAD_REQUEST" },
    });
    expect(isInternalError(mismatch)).toBe(false);
    expect(isInternalError(new GraphQLError("boom", { extensions: { http: { status: 500 } } }))).toBe(true);
  });

  it("treats an AppError thrown directly the same as one wrapped by GraphQL", () => {
    const direct = formatError(formatted, new AppError("FORBIDDEN", "No"), { exposeInternalErrors: false });
    expect(direct.extensions).toEqual({ code: "FORBIDDEN" });
  });
});

describe("refused uploads", () => {
  it("go out with their reason's HTTP status, as BAD_USER_INPUT on the field file", () => {
    const statuses = (["FILE_MISSING", "FILE_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "CORRUPT_IMAGE", "IMAGE_TOO_LARGE"] as const).map(
      (reason) => httpResponseOf(refusedUpload(reason, "refused")).status,
    );
    expect(statuses).toEqual([400, 413, 415, 422, 422]);
    expect(httpResponseOf(refusedUpload("IMAGE_TOO_LARGE", "Too many pixels", { maxPixels: 10 })).body).toEqual({
      errors: [
        { message: "Too many pixels", extensions: { code: "BAD_USER_INPUT", field: "file", reason: "IMAGE_TOO_LARGE", maxPixels: 10 } },
      ],
    });
  });
});
