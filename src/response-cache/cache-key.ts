import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** What of an HTTP request decides whether, and under which key, the cache may answer it. */
export interface KeyedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The URL's query string: "?query=..." or "". */
  search: string;
  /** A POST's body as express.json parsed it; undefined when it was not JSON. */
  body: unknown;
}

/** The GraphQL request as Apollo reads it from GET parameters or a POST body. */
export interface GraphQLParams {
  query: unknown;
  operationName: unknown;
  variables: unknown;
  extensions: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Content types a browser may send cross-site without a preflight; Apollo's CSRF prevention refuses them alone. */
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);
const PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight"] as const;

const mediaTypeOf = (contentType: string) => contentType.split(";")[0]!.trim().toLowerCase();

/**
 * Apollo refuses a request that a cross-site form or script could send without a preflight
 * (csrfPrevention): one with no content type or a simple one, and no preflight header. A cached
 * answer must not reach a request Apollo would refuse.
 */
export function passesCsrfPrevention(headers: IncomingHttpHeaders): boolean {
  const contentType = headers["content-type"];
  if (contentType !== undefined && mediaTypeOf(contentType) !== "" && !SIMPLE_CONTENT_TYPES.has(mediaTypeOf(contentType))) return true;
  return PREFLIGHT_HEADERS.some((name) => {
    const value = headers[name];
    return typeof value === "string" && value.length > 0;
  });
}

/** GET parameters as Apollo reads them; undefined where Apollo would refuse them (a repeated parameter, JSON that is not an object). */
export function paramsOfGet(request: KeyedRequest): GraphQLParams | undefined {
  const contentType = request.headers["content-type"];
  if (contentType !== undefined && mediaTypeOf(contentType) !== "application/json") return undefined;
  const search = new URLSearchParams(request.search);
  const once = (name: string) => {
    const values = search.getAll(name);
    return values.length <= 1 ? { value: values[0] } : undefined;
  };
  const json = (name: string) => {
    const param = once(name);
    if (!param || param.value === undefined) return param;
    try {
      const value: unknown = JSON.parse(param.value);
      return isRecord(value) ? { value } : undefined;
    } catch {
      return undefined;
    }
  };
  const [query, operationName, variables, extensions] = [once("query"), once("operationName"), json("variables"), json("extensions")];
  if (!query || !operationName || !variables || !extensions) return undefined;
  return { query: query.value, operationName: operationName.value, variables: variables.value, extensions: extensions.value };
}

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
  const params =
    request.method === "GET" ? paramsOfGet(request) : isRecord(request.body) ? (request.body as Partial<GraphQLParams>) : undefined;
  if (!params) return undefined;
  const { operationName, variables } = params;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return undefined;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
  if (params.extensions !== undefined && params.extensions !== null && !isRecord(params.extensions)) return undefined;
  const queryId = queryIdOf(params as GraphQLParams);
  if (queryId === undefined) return undefined;
  return JSON.stringify([request.headers.accept ?? "", queryId, operationName ?? null, variables ?? null]);
}
