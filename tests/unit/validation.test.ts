import { describe, expect, it } from "vitest";
import type { ResolverData } from "type-graphql";
import { AppError } from "../../src/errors.js";
import { validateArgument } from "../../src/graphql/validation.js";

const resolverData = (args: Record<string, unknown>) => ({ args }) as ResolverData<object>;

describe("argument validation", () => {
  it("names a date argument the database cannot store by the argument's own name", async () => {
    const since = new Date("0000-06-01T00:00:00Z");
    const error = await validateArgument(since, undefined, resolverData({ filter: { text: "x" }, since })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", field: "since" });
    await expect(validateArgument(new Date("2024-01-01T00:00:00Z"), undefined, resolverData({}))).resolves.toBeUndefined();
  });
});
