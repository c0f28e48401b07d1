import pg from "pg";

/**
 * SQL statements sent to one database, from pg_stat_statements on the bench's own cluster: the
 * same count for every contender, whatever its driver, batching or ORM. Read from the `postgres`
 * database, so reading them is not counted.
 */
export interface StatementSnapshot {
  byQuery: Map<string, { query: string; calls: number }>;
}

export interface StatementDelta {
  total: number;
  /** The statements sent in between, most calls first, with their normalized text. */
  statements: { query: string; calls: number }[];
}

export class StatementCounter {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  static async open(adminUrl: string, database: string): Promise<StatementCounter> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    return new StatementCounter(client, database);
  }

  async snapshot(): Promise<StatementSnapshot> {
    const { rows } = await this.client.query<{ queryid: string; query: string; calls: string }>(
      `SELECT s.queryid::text AS queryid, s.query, s.calls::text AS calls
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
      [this.database],
    );
    return { byQuery: new Map(rows.map((row) => [row.queryid, { query: row.query, calls: Number(row.calls) }])) };
  }

  static between(before: StatementSnapshot, after: StatementSnapshot): StatementDelta {
    const statements: StatementDelta["statements"] = [];
    for (const [id, { query, calls }] of after.byQuery) {
      const delta = calls - (before.byQuery.get(id)?.calls ?? 0);
      if (delta > 0) statements.push({ query: query.replace(/\s+/g, " ").trim(), calls: delta });
    }
    statements.sort((a, b) => b.calls - a.calls);
    return { total: statements.reduce((sum, statement) => sum + statement.calls, 0), statements };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
