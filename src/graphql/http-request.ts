import type { IncomingHttpHeaders } from "node:http";

/*
 * What Apollo takes from an HTTP request as it stands, for what answers requests before Apollo
 * does: the response cache's hits (src/response-cache/) and the public-read lane (src/public-read/).
 */

/** The GraphQL request as Apollo reads it from GET parameters or a POST body. */
export interface GraphQLParams {
  query: unknown;
  operationName: unknown;
  variables: unknown;
  extensions: unknown;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** Content types a browser may send cross-site without a preflight; Apollo's CSRF prevention refuses them alone. */
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);
const PREFLIGHT_HEADERS = ["x-apollo-operation-name", "apollo-require-preflight"] as const;

const mediaTypeOf = (contentType: string) => contentType.split(";")[0]!.trim().toLowerCase();

/**
 * Apollo refuses a request that a cross-site form or script could send without a preflight
 * (csrfPrevention): one with no content type or a simple one, and no preflight header. Whatever
 * answers a request before Apollo (a cached answer, the public-read lane) must not answer one
 * Apollo would refuse.
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
export function paramsOfGet(headers: IncomingHttpHeaders, queryString: string): GraphQLParams | undefined {
  const contentType = headers["content-type"];
  if (contentType !== undefined && mediaTypeOf(contentType) !== "application/json") return undefined;
  const search = new URLSearchParams(queryString);
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
