import { Prisma } from "../generated/prisma/client.js";

type Filter = { [field: string]: unknown };

const COMPARISONS: Record<string, string> = { equals: "=", not: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" };

/** prisma/schema.prisma maps every camelCase field to its snake_case column. */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

const isFieldFilter = (value: unknown): value is Filter =>
  typeof value === "object" && value !== null && !(value instanceof Date) && !Array.isArray(value);

/**
 * A Prisma filter on one table's own columns as SQL, for the hand-written queries (full-text
 * search) that must keep the same rules as Prisma's own queries, so that a rule is written once,
 * as a Prisma `where`. It renders what such rules are made of: values, null, equals, not, in,
 * notIn, lt, lte, gt, gte, and AND, OR, NOT. Anything else (a relation filter, a text mode)
 * throws, so that a rule that outgrows it fails in its unit test rather than being half applied.
 */
export function whereToSql(where: Filter, table: string): Prisma.Sql {
  const conditions = Object.entries(where)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => conditionOf(key, value, table));
  return joined(conditions, "AND");
}

/** Conditions joined by AND or OR; a compound is parenthesised, so it reads the same wherever it is put. */
function joined(conditions: Prisma.Sql[], operator: "AND" | "OR"): Prisma.Sql {
  if (conditions.length === 0) return operator === "AND" ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
  if (conditions.length === 1) return conditions[0]!;
  return Prisma.sql`(${Prisma.join(conditions, ` ${operator} `)})`;
}

function conditionOf(key: string, value: unknown, table: string): Prisma.Sql {
  const filters = () => (Array.isArray(value) ? value : [value]).map((filter) => whereToSql(filter as Filter, table));
  if (key === "AND") return joined(filters(), "AND");
  if (key === "OR") return joined(filters(), "OR");
  // As Prisma reads it: NOT [a, b] is (NOT a) AND (NOT b).
  if (key === "NOT")
    return joined(
      filters().map((filter) => Prisma.sql`NOT (${filter})`),
      "AND",
    );
  const column = Prisma.raw(`${table}."${columnOf(key)}"`);
  if (!isFieldFilter(value)) return value === null ? Prisma.sql`${column} IS NULL` : Prisma.sql`${column} = ${value}`;
  return joined(
    Object.entries(value)
      .filter(([, operand]) => operand !== undefined)
      .map(([operator, operand]) => comparisonOf(column, key, operator, operand)),
    "AND",
  );
}

function comparisonOf(column: Prisma.Sql, field: string, operator: string, operand: unknown): Prisma.Sql {
  if (operator === "in" || operator === "notIn") {
    const values = operand as unknown[];
    if (values.length === 0) return operator === "in" ? Prisma.sql`FALSE` : Prisma.sql`TRUE`;
    return Prisma.sql`${column} ${Prisma.raw(operator === "in" ? "IN" : "NOT IN")} (${Prisma.join(values)})`;
  }
  const comparison = COMPARISONS[operator];
  if (comparison === undefined || isFieldFilter(operand)) {
    throw new Error(
      `whereToSql cannot render "${operator}" on ${field}: only values, null and ${Object.keys(COMPARISONS).join(", ")}, in, notIn`,
    );
  }
  if (operand === null) return operator === "equals" ? Prisma.sql`${column} IS NULL` : Prisma.sql`${column} IS NOT NULL`;
  return Prisma.sql`${column} ${Prisma.raw(comparison)} ${operand}`;
}
