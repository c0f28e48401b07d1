import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, statementRunnerOf, type DatabaseHandle } from "../src/db/client.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

describe("the statement runner below a client", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const statements: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    handle = await connectDatabase(database.target, { onQuery: (sql) => statements.push(sql) });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("sends a statement with its argument and gives the rows as arrays, reported to onQuery like Prisma's", async () => {
    const run = statementRunnerOf(handle.prisma);
    const sql = "SELECT $1::text AS said, 2 AS two";
    expect(await run(sql, ["hello"])).toEqual([["hello", 2]]);
    expect(statements).toContain(sql);
  });

  it("connects again, as Prisma does, once its client has disconnected", async () => {
    const run = statementRunnerOf(handle.prisma);
    await handle.prisma.$disconnect();
    expect(await run("SELECT count(*)::text AS stories FROM stories", [])).toEqual([["0"]]);
    expect(await handle.prisma.story.count()).toBe(0);
  });
});
