import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envFor, runInProject } from "../support/command.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { ViewerDocument } from "../generated/graphql.js";
import { failure, ok, startTestApiOn } from "../support/api.js";

describe("npm run token", () => {
  let database: TestDatabase;

  const token = (...args: string[]) => runInProject("npm", ["run", "-s", "token", "--", ...args], envFor(database.target));

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("creates the user once and prints a working token on its last line", async () => {
    const first = await token("--role", "EDITOR", "--name", "Jane Desk");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Created EDITOR Jane Desk");
    const second = await token("--role", "EDITOR", "--name", "Jane Desk");
    expect(second.stdout).toContain("Found EDITOR Jane Desk");
    const tokens = [first, second].map((result) => result.stdout.trim().split("\n").at(-1)!);
    expect(tokens[0]).toMatch(/^nws_[A-Za-z0-9_-]{40,}$/);
    expect(tokens[1]).not.toBe(tokens[0]);

    const api = await startTestApiOn(database);
    try {
      for (const issued of tokens) {
        expect(ok(await api.graphql(ViewerDocument, {}, issued)).viewer).toMatchObject({ name: "Jane Desk", role: "EDITOR" });
      }
      expect(await api.prisma.user.count({ where: { name: "Jane Desk" } })).toBe(1);
      expect(failure(await api.graphql(ViewerDocument, {}, "nws_" + "x".repeat(43))).code).toBe("UNAUTHENTICATED");
      const stored = await api.prisma.apiToken.findMany({ select: { tokenHash: true } });
      expect(stored.map((t) => t.tokenHash).some((hash) => tokens.some((t) => hash.includes(t)))).toBe(false);
    } finally {
      await api.stop();
    }
  });

  it("refuses an unknown role or a missing name with usage", async () => {
    const badRole = await token("--role", "INTERN", "--name", "X");
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of REPORTER, EDITOR, ADMIN/);
    const noName = await token("--role", "EDITOR");
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/--name is required/);
  });
});
