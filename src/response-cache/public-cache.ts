import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerPlugin, HTTPGraphQLRequest, HTTPGraphQLResponse } from "@apollo/server";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import fresh from "fresh";
import type { Logger } from "pino";
import type { ResponseCacheConfig } from "../config.js";
import type { RequestContext } from "../context/request-context.js";
import type { FreshnessBarrier } from "../db/freshness.js";
import type { Notifications } from "../db/notifications.js";
import { parsePublicContentChange, PUBLIC_CONTENT_CHANNEL } from "../db/public-content-changes.js";
import { expressRequestOf, queryStringOf } from "../graphql/express-handler.js";
import { answerFactsPlugin, newAnswerFacts, type AnswerFacts } from "./answer-facts.js";
import { publicCacheControl, surrogateKeysOf } from "./cache-headers.js";
import { publicCacheKey } from "./cache-key.js";
import { ResponseCache, type CachedAnswer, type NewAnswer, type StoreTicket } from "./response-cache.js";

/** A request the cache could not answer but may store the answer of. */
interface Miss {
  key: string;
  ticket: StoreTicket;
  facts: AnswerFacts;
}

export interface PublicCache {
  /**
   * The stored answer to an anonymous GET, if there is one. Looked up before express runs: a hit
   * needs nothing of what express does, and its routing alone costs several times what the hit does.
   */
  storedAnswerTo(req: IncomingMessage): CachedAnswer | undefined;
  /** Sends a stored answer, or 304 when the client has it already. */
  sendStored(req: IncomingMessage, res: ServerResponse, answer: CachedAnswer): void;
  /** Express middleware in front of Apollo: answers the other hits (POST), and notes a miss whose answer may be stored. */
  serve: RequestHandler;
  /** Learns, as Apollo runs a noted miss, whether its answer is public and which stories it holds. */
  plugin: ApolloServerPlugin<RequestContext>;
  /** What is being learnt of a noted miss, for a plugin that answers it without executing resolvers. */
  factsOf(http: HTTPGraphQLRequest | undefined): AnswerFacts | undefined;
  /** Apollo's finished answer, before it is written: stored when it may be, with headers saying who else may keep it. */
  answered(req: Request, res: Response, answer: HTTPGraphQLResponse): void;
  /**
   * Express middleware in front of a public resource other than GraphQL (a story as ninjs): answers
   * an anonymous GET from the cache, by its path, or notes the miss for resourceAnswered.
   */
  serveResource: RequestHandler;
  /** A public resource's answer to a noted miss, before it is written: stored, with its headers, as answered does. */
  resourceAnswered(req: Request, res: Response, answer: { body: string; contentType: string; storyIds: readonly string[] }): void;
  /** Stops listening for changes; the cache then stores nothing more. */
  stop(): void;
}

export interface PublicCacheOptions {
  settings: ResponseCacheConfig;
  notifications: Notifications;
  freshness?: FreshnessBarrier;
  /** When the next embargo of a published story lifts after a time: answers a lift can change live no longer. */
  nextEmbargoLift: (after: Date) => Promise<Date | null>;
  log: Logger;
}

/** Adds to the Vary header whatever else (CORS) has put there. */
function varyAlso(res: ServerResponse, names: string): void {
  const given = res.getHeader("vary");
  res.setHeader("vary", given ? `${String(given)}, ${names}` : names);
}

/**
 * Answers to anonymous queries, served without running GraphQL at all, and dropped on every
 * change the public can see, which the database announces to every instance (LISTEN/NOTIFY).
 */
export function startPublicCache(options: PublicCacheOptions): PublicCache {
  const { settings, log } = options;
  const cache = new ResponseCache({ ...settings, freshness: options.freshness, nextEmbargoLift: options.nextEmbargoLift, log });
  const misses = new WeakMap<IncomingMessage, Miss>();
  /** Each request's key, computed once: a GET that misses before express is keyed again in it. */
  const keys = new WeakMap<IncomingMessage, string | undefined>();

  const keyOf = (req: IncomingMessage & { body?: unknown }) => {
    if (!keys.has(req)) {
      const key = publicCacheKey({ method: req.method ?? "", headers: req.headers, search: queryStringOf(req.url ?? ""), body: req.body });
      keys.set(req, key);
    }
    return keys.get(req);
  };

  const unsubscribe = options.notifications.subscribe(PUBLIC_CONTENT_CHANNEL, {
    notified(payload) {
      const change = parsePublicContentChange(payload);
      const dropped = cache.invalidate(change);
      log.info({ stories: change, dropped }, "response cache invalidated");
    },
    listening() {
      cache.listeningStarted();
      log.info("response cache listening for changes");
    },
    interrupted(error) {
      cache.listeningStopped();
      log.warn({ err: error }, "response cache emptied and off: the connection that listens for changes was lost");
    },
  });

  const factsOf = (http: HTTPGraphQLRequest | undefined) => {
    const req = expressRequestOf(http);
    return req && misses.get(req)?.facts;
  };

  const cacheControlUnlessALift = publicCacheControl({ liftAt: null }, settings, 0);
  // An answer's purge keys (up to a hundred stories) are the same for every hit on it: joined once per stored answer.
  const surrogateKeys = new WeakMap<CachedAnswer, string>();
  /** What a public answer to a GET says to other caches: how long to keep it, its purge keys, and what it varies with. */
  const setPublicHeaders = (res: ServerResponse, answer: CachedAnswer) => {
    res.setHeader("cache-control", answer.liftAt === null ? cacheControlUnlessALift : publicCacheControl(answer, settings, Date.now()));
    let keys = surrogateKeys.get(answer);
    if (keys === undefined) surrogateKeys.set(answer, (keys = surrogateKeysOf(answer)));
    // An answer that holds no story and depends on none (`{ __typename }`) has nothing to be purged by.
    if (keys) res.setHeader("surrogate-key", keys);
    varyAlso(res, "Accept, Authorization");
  };

  const sendStored = (req: IncomingMessage, res: ServerResponse, answer: CachedAnswer) => {
    res.setHeader("content-type", answer.contentType);
    res.setHeader("etag", answer.etag);
    res.setHeader("x-cache", "HIT");
    if (req.method === "GET") {
      setPublicHeaders(res, answer);
    } else {
      res.setHeader("cache-control", "no-store");
    }
    if (fresh(req.headers, { etag: answer.etag })) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader("content-length", answer.body.length);
    res.end(answer.body);
  };

  /** Stores the answer to a noted miss if nothing changed since its ticket, and says who else may keep it. */
  const store = (req: Request, res: Response, miss: Miss, body: Buffer, contentType: string) => {
    const answered: NewAnswer = {
      body,
      contentType,
      etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
      storyIds: [...miss.facts.storyIds],
      dependsOnAllStories: miss.facts.dependsOnAllStories,
      storedAt: Date.now(),
    };
    // An answer computed while a change landed may hold the old content: no cache may keep it.
    const stored = cache.storeIfCurrent(miss.ticket, miss.key, answered);
    if (!stored) return;
    // With the ETag set, express does not hash the body again, and answers a conditional GET with 304.
    res.setHeader("etag", stored.etag);
    if (req.method === "GET") setPublicHeaders(res, stored);
  };

  /** Notes a miss, once the cache knows whether an embargo lift can change its answer, and lets it be made. */
  const beginMiss = (req: Request, key: string, next: NextFunction) => {
    cache.liftKnown().then(() => {
      misses.set(req, { key, ticket: cache.ticket(), facts: newAnswerFacts() });
      next();
    }, next);
  };

  return {
    storedAnswerTo(req) {
      if (req.method !== "GET") return undefined;
      const key = keyOf(req);
      return key === undefined ? undefined : cache.lookup(key);
    },
    sendStored,
    serve(req, res, next) {
      const key = keyOf(req);
      if (key === undefined) return next();
      const hit = cache.lookup(key);
      if (hit) return sendStored(req, res, hit);
      res.setHeader("x-cache", "MISS");
      beginMiss(req, key, next);
    },
    plugin: answerFactsPlugin(factsOf),
    factsOf,
    answered(req, res, answer) {
      const miss = misses.get(req);
      if (!miss?.facts.cacheable || (answer.status ?? 200) !== 200 || answer.body.kind !== "complete") return;
      store(req, res, miss, Buffer.from(answer.body.string), answer.headers.get("content-type") ?? "application/json; charset=utf-8");
    },
    serveResource(req, res, next) {
      if (req.method !== "GET" || req.headers.authorization !== undefined) return next();
      // Such a resource is the same for every anonymous reader, whatever else the request says.
      const key = JSON.stringify(["resource", req.path]);
      const hit = cache.lookup(key);
      if (hit) return sendStored(req, res, hit);
      res.setHeader("x-cache", "MISS");
      beginMiss(req, key, next);
    },
    resourceAnswered(req, res, answer) {
      const miss = misses.get(req);
      if (!miss) return;
      for (const id of answer.storyIds) miss.facts.storyIds.add(id);
      store(req, res, miss, Buffer.from(answer.body), answer.contentType);
    },
    stop() {
      unsubscribe();
      cache.listeningStopped();
    },
  };
}
