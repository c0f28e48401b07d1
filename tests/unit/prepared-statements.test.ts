import { describe, expect, it } from "vitest";
import { preparedStatementMark, preparedStatementName } from "../../src/db/prepared-statements.js";

describe("which statements PostgreSQL prepares once per connection", () => {
  it("names a marked statement after its label and text, the same text always alike", () => {
    const sql = `${preparedStatementMark("public_read")} SELECT 1 WHERE $1::int > 0`;
    const name = preparedStatementName(sql);
    expect(name).toMatch(/^public_read_[0-9a-f]{24}$/);
    expect(preparedStatementName(`${sql}`)).toBe(name);
    // A name is one text: pg refuses a name prepared with another text on the same connection.
    expect(preparedStatementName(`${preparedStatementMark("public_read")} SELECT 2`)).not.toBe(name);
    expect(name!.length).toBeLessThanOrEqual(63);
  });

  it("leaves every other statement unnamed, Prisma's own and a mark that is not at the start", () => {
    expect(preparedStatementName(`SELECT "public"."stories"."id" FROM "public"."stories" WHERE 1=1`)).toBeUndefined();
    expect(preparedStatementName(`SELECT 1 ${preparedStatementMark("public_read")}`)).toBeUndefined();
    expect(preparedStatementName(`/* prepared Robert'); DROP TABLE stories; -- */ SELECT 1`)).toBeUndefined();
  });

  it("stops naming new texts past its bound, so that no client can make every connection hold statements without end", () => {
    const names = new Set<string | undefined>();
    for (let i = 0; i < 1000; i++) names.add(preparedStatementName(`${preparedStatementMark("bounded")} SELECT ${i}`));
    expect(names.has(undefined)).toBe(true);
    expect(names.size).toBeLessThanOrEqual(257);
  });
});
