import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/config.js";
import { whereToSql } from "../../src/db/where-sql.js";

const rendered = (where: Record<string, unknown>) => {
  const sql = whereToSql(where, "s");
  return { text: sql.text, values: sql.values };
};

describe("a Prisma filter as SQL", () => {
  it("is TRUE when it filters nothing", () => {
    expect(rendered({})).toEqual({ text: "TRUE", values: [] });
    expect(rendered({ status: undefined })).toEqual({ text: "TRUE", values: [] });
  });

  it("compares columns with parameters, never with text spliced into the SQL", () => {
    expect(rendered({ status: "PUBLISHED" })).toEqual({ text: `s."status" = $1`, values: ["PUBLISHED"] });
    const now = new Date("2026-01-01T00:00:00Z");
    expect(rendered({ status: { in: ["PUBLISHED", "ARCHIVED"] }, publishedAt: { lte: now, not: null } })).toEqual({
      text: `(s."status" IN ($1,$2) AND (s."published_at" <= $3 AND s."published_at" IS NOT NULL))`,
      values: ["PUBLISHED", "ARCHIVED", now],
    });
    expect(rendered({ authorId: null, version: { gt: 1, lt: 5, equals: 3, not: 4 } })).toEqual({
      text: `(s."author_id" IS NULL AND (s."version" > $1 AND s."version" < $2 AND s."version" = $3 AND s."version" <> $4))`,
      values: [1, 5, 3, 4],
    });
    expect(rendered({ slug: { notIn: ["a'; DROP TABLE stories; --"] } })).toEqual({
      text: `s."slug" NOT IN ($1)`,
      values: ["a'; DROP TABLE stories; --"],
    });
  });

  it("combines filters with AND, OR and NOT as Prisma does, empty lists included", () => {
    expect(rendered({ OR: [{ status: "PUBLISHED" }, { authorId: "u1", version: 2 }], NOT: { status: "ARCHIVED" } }).text).toBe(
      `((s."status" = $1 OR (s."author_id" = $2 AND s."version" = $3)) AND NOT (s."status" = $4))`,
    );
    expect(rendered({ AND: [{ status: "DRAFT" }, { version: 1 }] }).text).toBe(`(s."status" = $1 AND s."version" = $2)`);
    expect(rendered({ NOT: [{ status: "DRAFT" }, { version: 1 }] }).text).toBe(`(NOT (s."status" = $1) AND NOT (s."version" = $2))`);
    expect(rendered({ NOT: { status: "DRAFT", version: 1 } }).text).toBe(`NOT ((s."status" = $1 AND s."version" = $2))`);
    expect(rendered({ AND: [] }).text).toBe("TRUE");
    expect(rendered({ OR: [] }).text).toBe("FALSE");
    expect(rendered({ status: { in: [] } }).text).toBe("FALSE");
    expect(rendered({ status: { notIn: [] } }).text).toBe("TRUE");
  });

  it("refuses what it cannot render, rather than leaving part of a rule out", () => {
    expect(() => whereToSql({ story: { status: "PUBLISHED" } }, "s")).toThrow(/cannot render "status" on story/);
    expect(() => whereToSql({ attributions: { some: { confirmed: true } } }, "s")).toThrow(/cannot render "some"/);
    expect(() => whereToSql({ headline: { contains: "x", mode: "insensitive" } }, "s")).toThrow(/cannot render "contains"/);
    expect(() => whereToSql({ status: { not: { in: ["DRAFT"] } } }, "s")).toThrow(/cannot render "not"/);
  });

  it("names every column as prisma/schema.prisma maps its field", () => {
    const schema = readFileSync(path.join(projectRoot, "prisma", "schema.prisma"), "utf8");
    const models = [...schema.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)];
    const modelNames = new Set(models.map(([, name]) => name));
    const fieldLines = models.flatMap(([, , body]) => body!.split("\n").filter((line) => /^\s+\w+\s+\S/.test(line)));
    const scalarFields = fieldLines
      .map((line) => ({
        line,
        field: line.trim().split(/\s+/)[0]!,
        type: line
          .trim()
          .split(/\s+/)[1]!
          .replace(/[?[\]]/g, ""),
      }))
      .filter(({ type }) => !modelNames.has(type));
    expect(scalarFields.length).toBeGreaterThan(60);
    for (const { line, field } of scalarFields) {
      const column = /@map\("(\w+)"\)/.exec(line)?.[1] ?? field;
      expect(rendered({ [field]: 1 }).text, line).toBe(`s."${column}" = $1`);
    }
  });
});
