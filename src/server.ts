import { isUtf8 } from "node:buffer";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import cors from "cors";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import { createRequestLog } from "./logger.js";
import { buildContext, type RequestContext } from "./context/request-context.js";
import { statementRunnerOf, type DatabaseHandle } from "./db/client.js";
import { replicaFreshnessBarrier } from "./db/freshness.js";
import { asAppError, badInput, formatError, httpHeadOfResult, httpResponseOf, isInternalError, toGraphQLError } from "./errors.js";
import { expressRequestOf, graphqlOverExpress } from "./graphql/express-handler.js";
import { depthLimit, MAX_TOKENS, queryTooDeep, requestLimits } from "./graphql/request-limits.js";
import { newsroomSchema } from "./graphql/schema.js";
import { refuseSubscriptionsOverHttp } from "./graphql/subscriptions.js";
import { serveSubscriptions } from "./graphql/websocket.js";
import { startLeaseSweeper } from "./live/lease-sweeper.js";
import { StoryEventFeed } from "./live/story-event-feed.js";
import { createIdeRouter } from "./ide/ide.js";
import { mediaRoutes } from "./media/media.routes.js";
import { publicReadLane } from "./public-read/public-read.lane.js";
import { publicReadPlugin } from "./public-read/public-read.plugin.js";
import { defaultCacheControl } from "./response-cache/cache-headers.js";
import { startPublicCache } from "./response-cache/public-cache.js";
import { schedulerConcurrency, startScheduler } from "./scheduling/scheduler.js";
import { nextEmbargoLift } from "./stories/story.service.js";
import { NINJS_STORY_PATH, ninjsStoryHandler } from "./syndication/ninjs.route.js";

export const GRAPHQL_PATH = "/graphql";
/** Wire copy is up to 1 MiB, and JSON escaping can grow it. */
const MAX_BODY = "3mb";
/** A load balancer's poll must get an answer even while the database gives none. */
const HEALTH_CHECK_TIMEOUT_MS = 1000;

export interface NewsroomServer {
  httpServer: http.Server;
  /** Starts listening; resolves with the URL of the GraphQL endpoint. */
  listen(port: number, host: string): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, then resolves; a second call waits for the first. */
  stop(): Promise<void>;
  /** GraphQL requests and uploads being handled right now, from context creation to the last byte. */
  inFlightRequests(): number;
  /** Subscriptions this instance serves now: a test waits for its subscription to be in place before it makes a change. */
  liveSubscriptions(): number;
  /** Resolves once the live desk hears committed story events (LISTEN is in effect). */
  liveDeskListening(): Promise<void>;
  /** How many public GETs the lane has answered without express or Apollo: a test tells its answers from Apollo's. */
  laneAnswers(): number;
}

export async function createServer(options: { config: Config; database: DatabaseHandle; logger: Logger }): Promise<NewsroomServer> {
  const { config, database, logger } = options;
  const schema = await newsroomSchema();
  const app = express();
  app.disable("x-powered-by");
  const publicCache = config.responseCache.enabled
    ? startPublicCache({
        settings: config.responseCache,
        notifications: database.notifications,
        // Public reads may come from replicas that lag: after a change, nothing is stored until they have it.
        freshness: database.replicas.length ? replicaFreshnessBarrier(database.prisma, database.replicasReplayedTo) : undefined,
        nextEmbargoLift: (after) => nextEmbargoLift(database.prisma, after),
        log: logger,
      })
    : undefined;
  const scheduler = config.scheduler.enabled
    ? startScheduler({ database, settings: config.scheduler, concurrency: schedulerConcurrency(config.database), log: logger })
    : undefined;
  const requestLog = createRequestLog(logger);
  const corsHeaders = cors({
    origin: config.corsOrigins.includes("*") ? true : config.corsOrigins,
    allowedHeaders: ["authorization", "content-type", "x-request-id", "apollo-require-preflight"],
    exposedHeaders: ["x-request-id"],
    maxAge: 600,
  });
  // Without the response cache, public GETs of the story and front pages that Apollo has answered
  // from a plan once are read and sent without express or Apollo (src/public-read/public-read.lane.ts).
  const lane = publicCache
    ? undefined
    : publicReadLane(() => statementRunnerOf(database.publicReads()), { log: requestLog, cors: corsHeaders, otherwise: app }, GRAPHQL_PATH);
  const httpServer = http.createServer((req, res) => {
    const taken = lane?.take(req);
    if (lane && taken) return void operations.track(lane.answer(req, res, taken));
    const stored = publicCache && req.url?.split("?", 1)[0] === GRAPHQL_PATH ? publicCache.storedAnswerTo(req) : undefined;
    if (!publicCache || !stored) return app(req, res);
    // A stored answer to a GET is all of the request: logged and given its CORS headers as in
    // express, but without express, whose routing alone costs several times what the hit does.
    requestLog(req, res);
    corsHeaders(req, res, () => publicCache.sendStored(req, res, stored));
  });
  // No request may hold a connection for ever: slow clients and stuck bodies are cut off.
  httpServer.requestTimeout = 30_000;
  httpServer.headersTimeout = 15_000;
  // An idle keep-alive connection stays open longer than clients keep theirs (fetch 4 s, load
  // balancers 60 s), so the server never closes one that a client is reusing that moment: with
  // Node's 5 s, an event loop busy for seconds (PGlite's work is in process) fired both timers at
  // once, and the client's next request on that connection failed with ECONNRESET.
  httpServer.keepAliveTimeout = 65_000;
  /** The one stop, once begun: /health says so, and a second stop() waits for it. */
  let stopped: Promise<void> | undefined;
  const operations = inFlightOperations();

  const armor = new ApolloArmor({
    // Its depth rule is added below, by depthLimit, which exempts pure introspection (for the IDE).
    maxDepth: { enabled: false },
    maxAliases: { n: 20 },
    maxDirectives: { n: 20 },
    // graphql's own parser limits tokens (parseOptions below) and keeps syntax errors reported
    // as GRAPHQL_PARSE_FAILED; cost is limited per list size by requestLimits.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.environment === "production" },
  }).protect();

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceSeconds * 1000 }),
      ApolloServerPluginLandingPageDisabled(),
      // Who may cache an answer is decided by who asks (src/response-cache/), not by schema hints.
      ApolloServerPluginCacheControlDisabled(),
      ...(publicCache ? [publicCache.plugin] : []),
      publicReadPlugin(schema, {
        factsOf: publicCache?.factsOf,
        planned: lane && ((http, plan) => lane.planned(expressRequestOf(http), plan)),
      }),
      refuseSubscriptionsOverHttp(),
      requestLimits(schema, { exemptIntrospection: config.introspection }),
      // graphql-armor's types come from @apollo/server's CommonJS build; the plugins are plain objects either way.
      ...(armor.plugins as unknown as ApolloServerPlugin<RequestContext>[]),
      {
        async requestDidStart({ contextValue }) {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) logFailure(contextValue.log, error, error.path);
            },
            async willSendResponse({ response }) {
              if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
              const head = httpHeadOfResult(response.body.singleResult.errors);
              if (!head) return;
              response.http.status = head.status;
              for (const [name, value] of Object.entries(head.headers)) response.http.headers.set(name, value);
            },
          };
        },
      },
    ],
    validationRules: [...armor.validationRules, depthLimit({ exemptIntrospection: config.introspection })],
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown (drain, then close the database); Apollo's own signal handlers would
    // race it and re-raise the signal.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, { exposeInternalErrors: config.exposeInternalErrors }),
  });
  await apollo.start();

  // Once per request: the lane has started it already for a request it hands back.
  app.use((req, res, next) => (req.id === undefined ? requestLog(req, res, next) : next()));

  app.get("/health", async (_req, res) => {
    if (stopped) {
      res.status(503).json({ status: "stopping" });
      return;
    }
    // Public reads fall back to the primary while a replica is down, so only the primary decides
    // the status; the replicas are reported for the operator.
    const [answered, replicas] = await Promise.all([
      answersWithin(HEALTH_CHECK_TIMEOUT_MS, database.prisma.$queryRaw`SELECT 1`),
      Promise.all(
        database.replicas.map(async (replica) => ({
          replica: replica.name,
          status: (await answersWithin(HEALTH_CHECK_TIMEOUT_MS, replica.ping())) ? "ok" : "unavailable",
        })),
      ),
    ]);
    const report = database.replicas.length ? { replicas } : {};
    if (answered) res.json({ status: "ok", ...report });
    else res.status(503).json({ status: "database unavailable", ...report });
  });

  if (config.graphqlIde) app.use(GRAPHQL_PATH, createIdeRouter({ endpoint: GRAPHQL_PATH, title: "Newsroom GraphQL" }));

  const contextOf = (req: express.Request) =>
    buildContext(database, {
      authorization: req.headers.authorization,
      requestId: String(req.id),
      log: req.log,
      settings: { editingLeaseSeconds: config.live.editingLeaseSeconds },
      publication: config.publication,
    });
  const graphql = graphqlOverExpress(apollo, {
    context: async (req) => {
      try {
        return await contextOf(req);
      } catch (error) {
        logFailure(req.log, error);
        const appError = asAppError(error);
        if (appError) throw toGraphQLError(appError);
        throw error;
      }
    },
    beforeSend: (req, res, answer) => {
      publicCache?.answered(req, res, answer);
      lane?.learn(req, answer);
    },
  });
  app.use(
    GRAPHQL_PATH,
    corsHeaders,
    defaultCacheControl,
    express.json({ limit: MAX_BODY, verify: refuseInvalidUtf8 }),
    // Before anything reads the query: a hit is answered without parsing it.
    ...(publicCache ? [publicCache.serve] : []),
    refuseDeepQueries,
    (req, res, next) => operations.track(Promise.resolve(graphql(req, res, next))),
  );

  const ninjsStory = ninjsStoryHandler({ contextOf, publicCache });
  app.get(NINJS_STORY_PATH, corsHeaders, defaultCacheControl, ...(publicCache ? [publicCache.serveResource] : []), (req, res, next) =>
    operations.track(Promise.resolve(ninjsStory(req, res, next))),
  );

  app.use("/media", corsHeaders, mediaRoutes({ settings: config.media, contextOf, track: operations.track }));

  // The live desk: subscriptions over graphql-ws on this port and path, fed by the committed audit
  // trail; every instance also sweeps lapsed editing leases while there are any.
  const feed = new StoryEventFeed(database.notifications, database.prisma, logger);
  const live = serveSubscriptions({ httpServer, path: GRAPHQL_PATH, schema, database, feed, config, log: logger });
  const sweeper = startLeaseSweeper({
    db: database.prisma,
    notifications: database.notifications,
    leaseSeconds: config.live.editingLeaseSeconds,
    log: logger,
  });

  app.use((_req, res) => {
    res.status(404).json({ error: `Not found; the API is at ${GRAPHQL_PATH}` });
  });

  const badRequest: ErrorRequestHandler = (error, req, res, _next) => {
    const appError = asAppError(error);
    if (appError) {
      const { status, headers, body } = httpResponseOf(appError);
      res.status(status).set(headers).json(body);
      return;
    }
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) req.log?.error({ err: error }, "request failed");
    const message =
      status === 413
        ? `The request body is over ${MAX_BODY}`
        : status === 500
          ? "Internal server error"
          : "The request body is not valid JSON";
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST" } }] });
  };
  app.use(badRequest);

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
          resolve(`http://${shownHost}:${address.port}${GRAPHQL_PATH}`);
        });
      }),
    stop: () =>
      (stopped ??= (async () => {
        publicCache?.stop();
        sweeper.stop();
        await live.stop();
        feed.stop();
        await scheduler?.stop();
        await apollo.stop();
        await operations.settled(config.shutdownGraceSeconds * 1000);
      })()),
    inFlightRequests: () => operations.running(),
    liveSubscriptions: () => feed.listenerCount(),
    liveDeskListening: () => feed.ready,
    laneAnswers: () => lane?.answered() ?? 0,
  };
}

/**
 * Faults of the server's own are logged as errors. A database outage is a warning: no fault of
 * this code, repeated by every request while it lasts, and /health reports it. Client errors are
 * in the request log only.
 */
function logFailure(log: Logger | undefined, error: unknown, path?: readonly (string | number)[]): void {
  const cause = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
  if (asAppError(cause)?.code === "SERVICE_UNAVAILABLE") log?.warn({ err: cause }, "database unavailable");
  else if (isInternalError(error)) log?.error({ err: cause, path }, "internal error");
}

/** Whether the work succeeded within ms: a check must give an answer even while the database gives none. */
function answersWithin(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  const answered = work.then(
    () => true,
    () => false,
  );
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
}

/**
 * express.json decodes bytes that are not UTF-8 as U+FFFD, and the text would be stored so; such
 * a body is refused instead. (Bodies declared as UTF-16 or UTF-32 are decoded by its own rules.)
 */
function refuseInvalidUtf8(_req: http.IncomingMessage, _res: http.ServerResponse, body: Buffer, encoding: string): void {
  if (encoding === "utf-8" && !isUtf8(body)) throw badInput("body", "The request body is not valid UTF-8 text");
}

/**
 * Apollo parses the query before any plugin could refuse it, and errors thrown from its hooks
 * before parsing become 500s; so a query too deep to parse is refused here, at the HTTP layer. A
 * persisted query needs no check: Apollo stores one only after it has parsed and validated it.
 */
const refuseDeepQueries: RequestHandler = (req, _res, next) => {
  const given: unknown = req.method === "GET" ? req.query.query : req.body?.query;
  for (const query of [given].flat()) {
    const tooDeep = typeof query === "string" ? queryTooDeep(query) : undefined;
    if (tooDeep) throw tooDeep;
  }
  next();
};

/**
 * Counts GraphQL requests still being handled, from context creation to the last byte. Draining
 * the HTTP server waits for connections, but a request whose client hung up keeps running;
 * closing the database under it would fail a write half way. Stopping waits for these too, up to
 * the grace period.
 */
function inFlightOperations() {
  let running = 0;
  let whenIdle: (() => void) | undefined;
  const track = <T>(work: Promise<T>): Promise<T> => {
    running += 1;
    return work.finally(() => {
      running -= 1;
      if (running === 0) whenIdle?.();
    });
  };
  const settled = (timeoutMs: number) =>
    running === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          whenIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
  return { track, settled, running: () => running };
}
