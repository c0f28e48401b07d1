export interface Measurement {
  scenario: string;
  description: string;
  /** Completed requests (any outcome) in the measured window. */
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** API runs: autocannon's histogram, in whole milliseconds. Raw SQL: exact. */
  latencyMs: { p50: number; p97_5: number; p99: number };
  errors: {
    total: number;
    /** Connection errors and timeouts: requests that got no response. */
    connection: number;
    /** Responses that were not 2xx, carried GraphQL errors, or lacked the data asked for. */
    invalid: number;
  };
  /** The API server during the measured window; null for the raw SQL baseline, which has none. */
  server: {
    rssBeforeMiB: number;
    rssAfterMiB: number;
    /** CPU time over wall time: 100 is one core busy the whole window. */
    cpuPercent: number;
  } | null;
}

/** What a load run yields, before the bench adds the scenario's name and the server's share. */
export type LoadResult = Omit<Measurement, "scenario" | "description" | "server">;

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
