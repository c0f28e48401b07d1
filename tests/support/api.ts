import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type DocumentNode } from "graphql";
import type { DestinationStream } from "pino";
import { loadConfig, projectRoot, type DatabaseTarget } from "../../src/config.js";
import { connectDatabase, type Database } from "../../src/db/client.js";
import { seedAnnotatedStory, type SeedResult } from "../../src/seed/seed.js";
import { createLogger } from "../../src/logger.js";
import { createServer } from "../../src/server.js";
import { issueTokenForName } from "../../src/users/user.service.js";
import type { Role } from "../../src/users/users.rules.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

export interface TestApi {
  url: string;
  prisma: Database;
  /** Every SQL statement the server sent, in order; tests reset and count it. */
  statements: string[];
  /** The same statements with their parameters, in order, to be explained as the server ran them. */
  queries: RecordedQuery[];
  /** Sends an operation from tests/operations/ (typed by codegen), as any client would over HTTP. */
  graphql<Data, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    token?: string,
  ): Promise<GraphQLResponse<Data>>;
  /** For what a typed document cannot say: malformed, invalid or hostile requests. */
  rawGraphql(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse>;
  tokenFor(role: Role, name?: string): Promise<{ token: string; userId: string }>;
  seedApStory(): Promise<SeedResult>;
  /** Stops the HTTP server the way a SIGTERM does, leaving the database open. */
  stopServer(): Promise<void>;
  /** How many GraphQL requests the server is handling: a test waits for its request to arrive instead of sleeping. */
  inFlightRequests(): number;
  /** How many subscriptions the server serves: a test waits for its own to be in place before it makes a change. */
  liveSubscriptions(): number;
  /** How many public GETs the server answered in its lane, without express or Apollo. */
  laneAnswers(): number;
  /** Takes the database away under the running server (closed and dropped), for fault tests. */
  loseDatabase(): Promise<void>;
  close(): Promise<void>;
}

export const AP_ANNOTATIONS = path.join(projectRoot, "seeds", "ap-iraq-russia-military-ties.annotations.json");
export const AP_STORY_FILE = path.join(projectRoot, "seeds", "ap-iraq-russia-military-ties.txt");

/**
 * An editor's token and the AP story, written to a test database that server processes will open;
 * closed before any of them starts, since PGlite admits one process per data folder.
 */
export async function seedEditorAndApStory(target: DatabaseTarget, editorName: string): Promise<{ editor: string; seeded: SeedResult }> {
  const handle = await connectDatabase(target);
  try {
    const editor = (await issueTokenForName(handle.prisma, { name: editorName, role: "EDITOR" })).token;
    return { editor, seeded: await seedAnnotatedStory(handle.prisma, AP_ANNOTATIONS) };
  } finally {
    await handle.close();
  }
}

/** A real server on a real database of its own, spoken to over HTTP like any client. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const api = await startTestApiOn(database, env);
  return {
    ...api,
    async close() {
      try {
        await api.stop();
      } finally {
        await database.drop();
      }
    },
  };
}

/** A real server on a database the caller owns (and drops); stop() leaves the database in place. */
export async function startTestApiOn(
  database: TestDatabase,
  env: Record<string, string> = {},
  logDestination?: DestinationStream,
): Promise<TestApi & { stop(): Promise<void> }> {
  const statements: string[] = [];
  const queries: RecordedQuery[] = [];
  const config = loadConfig({ NODE_ENV: "test", ...env });
  // With a destination, the server logs at info unless the test asks for another level.
  const logLevel = logDestination ? (env.LOG_LEVEL === undefined ? "info" : config.logLevel) : "silent";
  const logger = createLogger({ environment: config.environment, logLevel }, logDestination);
  const handle = await connectDatabase(database.target, {
    onQuery(sql, params) {
      statements.push(sql);
      queries.push({ sql, params: JSON.parse(params) as unknown[] });
    },
    replicas: { urls: config.replicaUrls, log: logger },
  });
  const server = await createServer({ config, database: handle, logger });
  const url = await server.listen(0, "127.0.0.1");
  // A subscription made from now on hears every change committed after it is in place.
  await server.liveDeskListening();
  const stop = async () => {
    try {
      await server.stop();
    } finally {
      await handle.close();
    }
  };
  return {
    url,
    prisma: handle.prisma,
    statements,
    queries,
    graphql: (document, variables, token) => post(url, textOf(document), variables, token),
    rawGraphql: (query, variables, token) => post(url, query, variables, token),
    async tokenFor(role, name = `${role.toLowerCase()} ${Math.random().toString(36).slice(2, 8)}`) {
      const issued = await issueTokenForName(handle.prisma, { name, role });
      return { token: issued.token, userId: issued.user.id };
    },
    seedApStory: () => seedAnnotatedStory(handle.prisma, AP_ANNOTATIONS),
    stopServer: () => server.stop(),
    inFlightRequests: () => server.inFlightRequests(),
    liveSubscriptions: () => server.liveSubscriptions(),
    laneAnswers: () => server.laneAnswers(),
    async loseDatabase() {
      await handle.close();
      await database.drop();
    },
    stop,
    close: stop,
  };
}

const printed = new WeakMap<DocumentNode, string>();

function textOf(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

async function post<Data>(url: string, query: string, variables: Record<string, unknown> | undefined, token: string | undefined) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<Data>, "status">;
  return { status: response.status, ...body };
}

/** Sends typed operations to a server running elsewhere, such as a child process, as startTestApi's graphql does. */
export function graphqlClient(url: string): Pick<TestApi, "graphql"> {
  return { graphql: (document, variables, token) => post(url, textOf(document), variables, token) };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function ok<Data>(response: GraphQLResponse<Data>): Data {
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response, null, 2)}`);
  }
  return response.data;
}

/** The single error of a response that must have failed. */
export function failure(response: GraphQLResponse): { message: string; code: string; field?: string; extensions: Record<string, any> } {
  const error = response.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(response.data)}`);
  return { message: error.message, code: error.extensions?.code, field: error.extensions?.field, extensions: error.extensions ?? {} };
}
