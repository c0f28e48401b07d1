import {
  API_FRONT_PAGE,
  API_STORY_PAGE,
  apiContent,
  postgraphileContent,
  postgraphileDocuments,
  type PageContent,
  type PageRequest,
} from "./pages.js";
import type { ServerSpec } from "./server-process.js";

/** One request as the load generator sends it. */
export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export const CONTENDER_KEYS = ["api", "api-cached", "raw-pg", "postgraphile4", "postgraphile5"] as const;
export type ContenderKey = (typeof CONTENDER_KEYS)[number];

export interface Contender {
  key: ContenderKey;
  label: string;
  /** Its server in `processes` processes sharing the port, each with a pool of `poolSize` connections. */
  server(databaseUrl: string, poolSize: number, processes: number): ServerSpec;
  request(page: PageRequest): HttpRequest;
  /** The content of a 2xx answer; throws when the answer is not the page at all. */
  content(page: PageRequest, body: any): PageContent;
}

const ok = (response: Response) => response.ok;
/** A readiness probe gives up on a server that accepts the connection but does not answer. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * The API gets anonymous GET requests, the kind a shared cache may answer, with the header that
 * Apollo's CSRF protection asks of a GET; cached and uncached get the very same requests.
 */
export function apiGet(document: string, variables?: Record<string, unknown>): HttpRequest {
  const query = `query=${encodeURIComponent(document)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ""}`;
  return { method: "GET", path: `/graphql?${query}`, headers: { "apollo-require-preflight": "true" } };
}

const apiRequest = (page: PageRequest) => (page.page === "front" ? apiGet(API_FRONT_PAGE) : apiGet(API_STORY_PAGE, { slug: page.slug }));

function apiContender(key: "api" | "api-cached", label: string, responseCache: "on" | "off"): Contender {
  return {
    key,
    label,
    server: (databaseUrl, _poolSize, processes) => ({
      name: label,
      script: "src/main.ts",
      // The API sizes its own pool (pg's default, 10, through Prisma's adapter); the bench reports
      // the connections it holds so that a change there shows. Its own node:cluster supervisor
      // runs several processes, as in production.
      env: { DATABASE_URL: databaseUrl, RESPONSE_CACHE: responseCache, SERVER_PROCESSES: String(processes) },
      processes,
      ready: (baseUrl) => fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(ok),
    }),
    request: apiRequest,
    content: apiContent,
  };
}

/** A peer's server as it is, or run in several processes sharing its port by bench/peers/processes.ts. */
function inProcesses(processes: number, spec: ServerSpec): ServerSpec {
  if (processes === 1) return spec;
  return {
    ...spec,
    script: "bench/peers/processes.ts",
    env: { ...spec.env, PEER_SCRIPT: spec.script, PROCESSES: String(processes) },
    processes,
  };
}

function postgraphileContender(key: "postgraphile4" | "postgraphile5", label: string, idField: "id" | "rowId"): Contender {
  const documents = postgraphileDocuments(idField);
  return {
    key,
    label,
    server: (databaseUrl, poolSize, processes) =>
      inProcesses(processes, {
        name: label,
        script: `bench/peers/${key}.ts`,
        env: { DATABASE_URL: databaseUrl, POOL_SIZE: String(poolSize) },
        ready: (baseUrl) =>
          fetch(`${baseUrl}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: "{ __typename }" }),
            signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
          }).then(ok),
      }),
    request: (page) => ({
      method: "POST",
      path: "/graphql",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(page.page === "front" ? { query: documents.front } : { query: documents.story, variables: { slug: page.slug } }),
    }),
    content: (page, body) => postgraphileContent(idField, page, body),
  };
}

export const CONTENDERS: Record<ContenderKey, Contender> = {
  api: apiContender("api", "API", "off"),
  "api-cached": apiContender("api-cached", "API, response cache on", "on"),
  "raw-pg": {
    key: "raw-pg",
    label: "raw pg + JSON",
    server: (databaseUrl, poolSize, processes) =>
      inProcesses(processes, {
        name: "raw pg server",
        script: "bench/peers/raw-pg-server.ts",
        env: { DATABASE_URL: databaseUrl, POOL_SIZE: String(poolSize) },
        ready: (baseUrl) => fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(ok),
      }),
    request: (page) => ({
      method: "GET",
      path: page.page === "front" ? "/front-page" : `/story?slug=${encodeURIComponent(page.slug)}`,
      headers: {},
    }),
    content: apiContent,
  },
  postgraphile4: postgraphileContender("postgraphile4", "PostGraphile 4", "id"),
  postgraphile5: postgraphileContender("postgraphile5", "PostGraphile 5", "rowId"),
};
