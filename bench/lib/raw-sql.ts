import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseTarget } from "../../src/config.js";
import { percentile, type LoadResult } from "./measurement.js";

/** The front page's data as hand-written SQL: what the API's first query must do at the least. */
export const FRONT_PAGE_SQL = `
  SELECT id, slug, headline, summary, published_at FROM stories
  WHERE status = 'PUBLISHED' ORDER BY published_at DESC NULLS LAST, id DESC LIMIT 20`;

export interface RawClient {
  label: string;
  query(sql: string): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

/**
 * A pg Pool of pg's default size, the size the API's Prisma adapter uses too; on PGlite, the same
 * engine in this process (which runs one query at a time, as it does for the server).
 */
export async function openRawClient(target: DatabaseTarget): Promise<RawClient> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url });
    return {
      label: "pg Pool",
      query: (sql) => pool.query(sql),
      async close() {
        // pool.end() resolves before its connections have said goodbye; the database is dropped
        // right after, which would cut them off and make the pool throw.
        const open = pool.totalCount;
        let removed = 0;
        const closed = new Promise<void>((resolve) => {
          if (open === 0) resolve();
          pool.on("remove", () => {
            removed += 1;
            if (removed === open) resolve();
          });
        });
        await pool.end();
        await closed;
      },
    };
  }
  const pglite = await PGlite.create(target.dataDir ?? "memory://");
  return { label: "PGlite query()", query: (sql) => pglite.query(sql), close: () => pglite.close() };
}

/** `connections` loops, each sending the query again as soon as it returns, until the time is up. */
export async function runRawQuery(
  client: RawClient,
  sql: string,
  expectedRows: number,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let connection = 0;
  let invalid = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const { rows } = await client.query(sql);
        if (rows.length === expectedRows) latencies.push(performance.now() - sent);
        else invalid += 1;
      } catch {
        connection += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length + invalid + connection;
  return {
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    latencyMs: { p50: percentile(sorted, 50), p97_5: percentile(sorted, 97.5), p99: percentile(sorted, 99) },
    errors: { total: connection + invalid, connection, invalid },
  };
}
