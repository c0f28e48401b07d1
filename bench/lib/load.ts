import autocannon from "autocannon";
import type { HttpRequest } from "./contenders.js";

export interface LoadResult {
  /** Responses received in the window, whatever they were. */
  requests: number;
  /**
   * Requests written, answered or not: when the window closes each connection has one in flight,
   * which the server still serves. Costs per request divide by this, counted after a pause.
   */
  sent: number;
  seconds: number;
  requestsPerSecond: number;
  /** From the moment a request is written to its last byte, exact (not autocannon's whole-millisecond histogram). */
  latencyMs: { p50: number; p99: number };
  errors: {
    /** Connection errors and timeouts: requests that got no response. */
    connection: number;
    /** Answers that were not 200 or not the length verified before the run. */
    invalid: number;
    firstInvalid: string | null;
  };
  /** Answers that said they came from a cache (an X-Cache header saying HIT, or an Age header). */
  cacheHits: number;
  /** The Cache-Control values seen, to show what the server told caches. */
  cacheControl: string[];
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface ConnectionContext {
  index: number;
  sentAt: number;
}

/**
 * Closed-loop load for `seconds`: each of `connections` keep-alive connections sends the next
 * request of the rotation as soon as its previous answer is in. An answer counts as valid when it
 * is a 200 of exactly the length this contender's answer to that request had in the content
 * check, which compared its content with everyone else's; the generated data is ASCII, so length
 * in characters is length in bytes.
 */
export async function runLoad(
  baseUrl: string,
  requests: readonly HttpRequest[],
  expectedLengths: readonly number[],
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  let sent = 0;
  let invalid = 0;
  let firstInvalid: string | null = null;
  let cacheHits = 0;
  const cacheControl = new Set<string>();
  const latencies: number[] = [];
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request, context) => {
          const index = sent++ % requests.length;
          Object.assign(context as ConnectionContext, { index, sentAt: performance.now() });
          const { method, path, headers, body } = requests[index]!;
          return { ...request, method, path, headers, body };
        },
        onResponse: (status, body, context, headers) => {
          const { index, sentAt } = context as ConnectionContext;
          latencies.push(performance.now() - sentAt);
          if (status !== 200 || body.length !== expectedLengths[index]) {
            invalid += 1;
            firstInvalid ??= `${requests[index]!.method} ${requests[index]!.path.slice(0, 120)}: status ${status}, ${body.slice(0, 300)}`;
          }
          const header = (name: string) => Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
          const cache = header("x-cache");
          if (/hit/i.test(String(cache ?? "")) || header("age") !== undefined) cacheHits += 1;
          const control = header("cache-control");
          if (control !== undefined && cacheControl.size < 5) cacheControl.add(String(control));
        },
      },
    ],
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    sent,
    seconds: result.duration,
    requestsPerSecond: latencies.length / result.duration,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    errors: { connection: result.errors, invalid, firstInvalid },
    cacheHits,
    cacheControl: [...cacheControl],
  };
}
