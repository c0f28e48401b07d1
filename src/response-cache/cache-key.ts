import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { LRUCache } from "lru-cache";
import { isRecord, paramsOfGet, passesCsrfPrevention, type GraphQLParams } from "../graphql/http-request.js";

/** What of an HTTP request decides whether, and under which key, the cache may answer it. */
export interface KeyedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The URL's query string: "?query=..." or "". */
  search: string;
  /** A POST's body as express.json parsed it; undefined when it was not JSON. */
  body: unknown;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The query's SHA-256 (hex), which is how a persisted query names it, so a request with the text
 * and one with only the hash share an answer. Undefined when there is neither, or the two disagree.
 */
function queryIdOf(params: GraphQLParams): string | undefined {
  const persisted = isRecord(params.extensions) ? params.extensions.persistedQuery : undefined;
  const hash =
    isRecord(persisted) && persisted.version === 1 && typeof persisted.sha256Hash === "string" ? persisted.sha256Hash : undefined;
  if (persisted !== undefined && (hash === undefined || !SHA256_HEX.test(hash))) return undefined;
  if (typeof params.query === "string") {
    const textHash = createHash("sha256").update(params.query).digest("hex");
    return hash === undefined || hash === textHash ? textHash : undefined;
  }
  return params.query === undefined || params.query === null ? hash : undefined;
}

/** How many GETs' keys are kept, the least recently asked going first (a URL is at most Node's 16 KiB of headers). */
const GET_KEYS_KEPT = 1000;
const getKeys = new LRUCache<string, { key: string | undefined }>({ max: GET_KEYS_KEPT });

/**
 * The key under which the answer to this request is cached, or undefined when the cache must not
 * answer it: a request with an Authorization header (staff, or a client that means to be), a
 * method other than GET or POST, or a request Apollo would refuse as it stands. The key holds all
 * that the answer depends on: the query, the operation name, the variables, and the Accept header
 * (which picks the content type). Whether the operation is a query, and public, is learnt when it
 * runs; only then is its answer stored.
 */
export function publicCacheKey(request: KeyedRequest): string | undefined {
  if (request.headers.authorization !== undefined) return undefined;
  if (request.method !== "GET" && request.method !== "POST") return undefined;
  if (!passesCsrfPrevention(request.headers)) return undefined;
  if (request.method === "POST")
    return keyOf(request.headers, isRecord(request.body) ? (request.body as Partial<GraphQLParams>) : undefined);
  // A GET's key depends on its URL's query string and two headers, and the hits on a hot page ask
  // for the same one again and again: parsing the URL and hashing the query were a tenth of a hit.
  const asked = `${presence(request.headers.accept)}\n${presence(request.headers["content-type"])}\n${request.search}`;
  let known = getKeys.get(asked);
  if (!known) getKeys.set(asked, (known = { key: keyOf(request.headers, paramsOfGet(request.headers, request.search)) }));
  return known.key;
}

/**
 * A header as part of a kept GET's key. A header missing is not a header empty (an empty
 * Content-Type is refused, a missing one is not). No header value holds a line break, so lines
 * keep the parts apart without the escaping of JSON, which took a few percent of a hit.
 */
function presence(value: string | undefined): string {
  return value === undefined ? "-" : `+${value}`;
}

function keyOf(headers: IncomingHttpHeaders, params: Partial<GraphQLParams> | undefined): string | undefined {
  if (!params) return undefined;
  const { operationName, variables } = params;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return undefined;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
  if (params.extensions !== undefined && params.extensions !== null && !isRecord(params.extensions)) return undefined;
  const queryId = queryIdOf(params as GraphQLParams);
  if (queryId === undefined) return undefined;
  return JSON.stringify([headers.accept ?? "", queryId, operationName ?? null, variables ?? null]);
}
