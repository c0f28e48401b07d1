import { createHash } from "node:crypto";

/**
 * Statements that open with `/* prepared <label> *\/` are prepared once on each connection, under a
 * name of their own, and then only bound and executed: PostgreSQL parses and plans them once, not
 * on every request. Prisma's other statements stay unnamed. It is for the few statements of the
 * hot public reads (src/public-read/), whose text is fixed by the query that asked for them.
 */
export const preparedStatementMark = (label: string) => `/* prepared ${label} */`;

const MARK = /^\/\* prepared ([a-z_]+) \*\//;
/** Each distinct text is prepared on every pooled connection; past this many, texts run unnamed. */
const MAX_PREPARED_TEXTS = 256;
const names = new Map<string, string>();

/** The name a statement is prepared under (adapter-pg's statementNameGenerator), or undefined to run it unnamed. */
export function preparedStatementName(sql: string): string | undefined {
  const known = names.get(sql);
  if (known !== undefined) return known;
  const mark = MARK.exec(sql);
  if (!mark || names.size >= MAX_PREPARED_TEXTS) return undefined;
  const name = `${mark[1]}_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
  names.set(sql, name);
  return name;
}
