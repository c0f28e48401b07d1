import { randomUUID } from "node:crypto";
import type http from "node:http";
import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import type { Config } from "../config.js";
import { contextFor } from "../context/request-context.js";
import type { DatabaseHandle } from "../db/client.js";
import { asAppError, badRequest, formatError, toGraphQLError } from "../errors.js";
import { LIVE_CLOSE } from "../live/live.rules.js";
import type { LiveOperationContext } from "../live/live.service.js";
import type { StoryEventFeed } from "../live/story-event-feed.js";
import { hashToken } from "../users/token.rules.js";
import { authenticate } from "../users/user.service.js";
import type { Viewer } from "../users/users.rules.js";
import { MAX_TOKENS, queryTooDeep } from "./request-limits.js";

/** The channel on which the database names a user whose tokens or account changed (prisma/migrations/20261201103000_live_desk). */
const CREDENTIALS_CHANNEL = "user_credentials_changed";

/** A parse or validation error with the code Apollo gives it over HTTP, so that it reads the same here. */
const coded = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });

/** What each live connection is, once connection_init has authenticated it. */
interface LiveConnectionState {
  socket: WebSocket;
  viewer: Viewer;
  /** The Authorization value it was opened with, checked again when its user's tokens change. */
  authorization: string | undefined;
  /** The token's hash; undefined for the public. */
  tokenKey: string | undefined;
}

export interface LiveServer {
  /** Closes every live connection (GOING_AWAY) and stops listening for them. */
  stop(): Promise<void>;
  /** Live connections open now. */
  connections(): number;
}

/**
 * Subscriptions over graphql-ws, on the HTTP server's own port and GraphQL path. connection_init's
 * payload `{ "authorization": "Bearer <token>" }` authenticates as the Authorization header does
 * (none is the public); a token that is revoked or expires, or whose user is disabled or changes
 * role, closes its connections with FORBIDDEN. Only subscriptions are served here: queries and
 * mutations go over HTTP, through Apollo's limits. Limits and close codes: LIVE_CLOSE.
 */
export function serveSubscriptions(options: {
  httpServer: http.Server;
  path: string;
  schema: GraphQLSchema;
  database: DatabaseHandle;
  feed: StoryEventFeed;
  config: Config;
  log: Logger;
}): LiveServer {
  const { schema, database, feed, config, log } = options;
  const limits = config.live;
  const live = new Map<WebSocket, LiveConnectionState>();
  const drop = (socket: WebSocket, close: { code: number; reason: string }) => socket.close(close.code, close.reason);

  /** Whether the connection's credentials still stand; closes it with FORBIDDEN when they do not. */
  async function checkAgain(state: LiveConnectionState): Promise<void> {
    try {
      const viewer = await authenticate(database.prisma, state.authorization);
      if (viewer?.role === state.viewer?.role) return;
    } catch (error) {
      // A database that cannot answer now says nothing about the token: asked again later.
      if (asAppError(error)?.code !== "UNAUTHENTICATED") return;
    }
    log.info({ userId: state.viewer?.id }, "live connection closed: its token no longer stands");
    drop(state.socket, LIVE_CLOSE.FORBIDDEN);
  }
  const checkAll = () => {
    for (const state of live.values()) if (state.viewer) void checkAgain(state);
  };
  const stopHearingCredentials = database.notifications.subscribe(CREDENTIALS_CHANNEL, {
    notified: (userId) => {
      for (const state of live.values()) if (state.viewer?.id === userId) void checkAgain(state);
    },
    // Changes made while not listening were missed: everyone is checked.
    listening: checkAll,
    interrupted: () => {},
  });
  // Expiry sends no notification, and a lost one is caught here too.
  const recheck = setInterval(checkAll, limits.authRecheckSeconds * 1000);
  recheck.unref();

  const formatted = (error: GraphQLError) => formatError(error.toJSON(), error, { exposeInternalErrors: config.exposeInternalErrors });
  const sockets = new WebSocketServer({ server: options.httpServer, path: options.path });
  sockets.on("connection", (socket) => socket.once("close", () => live.delete(socket)));
  const served = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      connectionInitWaitTimeout: limits.connectionInitSeconds * 1000,
      onConnect: async (ctx) => {
        const { socket } = ctx.extra;
        // GraphiQL sends its Headers tab as is, so "Authorization" counts as "authorization" does.
        const given = Object.entries(ctx.connectionParams ?? {}).find(([name]) => name.toLowerCase() === "authorization")?.[1];
        const authorization = typeof given === "string" ? given : undefined;
        let viewer: Viewer;
        try {
          viewer = await authenticate(database.prisma, authorization);
        } catch (error) {
          const appError = asAppError(error);
          if (appError?.code === "SERVICE_UNAVAILABLE") drop(socket, LIVE_CLOSE.TRY_AGAIN_LATER);
          else if (appError?.code === "UNAUTHENTICATED")
            drop(socket, { code: LIVE_CLOSE.FORBIDDEN.code, reason: appError.message.slice(0, 120) });
          else throw error;
          return false;
        }
        // The client may have gone while its token was checked.
        if (socket.readyState !== socket.OPEN) return false;
        const tokenKey = viewer && authorization ? hashToken(authorization.trim()) : undefined;
        if (tokenKey && [...live.values()].filter((state) => state.tokenKey === tokenKey).length >= limits.maxConnectionsPerToken) {
          drop(socket, LIVE_CLOSE.TOO_MANY_CONNECTIONS);
          return false;
        }
        live.set(socket, { socket, viewer, authorization, tokenKey });
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const { socket } = ctx.extra;
        const state = live.get(socket);
        if (!state) return [new GraphQLError("The connection is closing")];
        // graphql-ws has already counted this one.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          drop(socket, LIVE_CLOSE.TOO_MANY_SUBSCRIPTIONS);
          return [new GraphQLError(LIVE_CLOSE.TOO_MANY_SUBSCRIPTIONS.reason)];
        }
        const tooDeep = queryTooDeep(payload.query);
        if (tooDeep) return [toGraphQLError(tooDeep)];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          return [coded(error as GraphQLError, "GRAPHQL_PARSE_FAILED")];
        }
        const invalid = validate(schema, document, specifiedRules);
        if (invalid.length) return invalid.map((error) => coded(error, "GRAPHQL_VALIDATION_FAILED"));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== "subscription") {
          const notServed = badRequest("Only subscriptions are served over WebSocket; send queries and mutations over HTTP", {
            reason: "NOT_A_SUBSCRIPTION",
          });
          return [toGraphQLError(notServed)];
        }
        const requestId = randomUUID();
        const contextValue: LiveOperationContext = {
          ...contextFor(database.prisma, state.viewer, {
            requestId,
            log,
            settings: { editingLeaseSeconds: limits.editingLeaseSeconds },
            publication: config.publication,
          }),
          live: {
            feed,
            connection: { drop: (close) => drop(socket, close), bufferedBytes: () => socket.bufferedAmount },
            queueLimit: limits.subscriberQueueLimit,
            maxBufferedBytes: limits.maxBufferedBytes,
          },
        };
        log.info({ requestId, subscriptionId: id, operationName: payload.operationName, userId: state.viewer?.id }, "subscription started");
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatted(error as GraphQLError)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatted(error)),
    },
    sockets,
    // graphql-ws pings each connection this often and cuts one whose pong has not come by the next.
    limits.pingSeconds * 1000,
  );

  return {
    async stop() {
      clearInterval(recheck);
      stopHearingCredentials();
      for (const socket of sockets.clients) drop(socket, LIVE_CLOSE.GOING_AWAY);
      await served.dispose();
    },
    connections: () => sockets.clients.size,
  };
}
