import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import { AppError, asAppError, conflict, formatError, isInternalError } from "../../src/errors.js";

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
    expect(asAppError(Object.assign(new Error("x"), { code: "P1001" }))).toBeUndefined();
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
