import { createHash } from "node:crypto";
import type { ApolloServerPlugin, HTTPGraphQLResponse } from "@apollo/server";
import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import type { ResponseCacheConfig } from "../config.js";
import type { RequestContext } from "../context/request-context.js";
import type { FreshnessBarrier } from "../db/freshness.js";
import type { Notifications } from "../db/notifications.js";
import { parsePublicContentChange, PUBLIC_CONTENT_CHANNEL } from "../db/public-content-changes.js";
import { expressRequestOf, queryStringOf } from "../graphql/express-handler.js";
import { answerFactsPlugin, newAnswerFacts, type AnswerFacts } from "./answer-facts.js";
import { publicAnswerHeaders } from "./cache-headers.js";
import { publicCacheKey } from "./cache-key.js";
import { ResponseCache, type CachedAnswer, type StoreTicket } from "./response-cache.js";

/** A request the cache could not answer but may store the answer of. */
interface Miss {
  key: string;
  ticket: StoreTicket;
  facts: AnswerFacts;
}

export interface PublicCache {
  /** Express middleware in front of Apollo: answers from the cache, or notes a miss whose answer may be stored. */
  serve: RequestHandler;
  /** Learns, as Apollo runs a noted miss, whether its answer is public and which stories it holds. */
  plugin: ApolloServerPlugin<RequestContext>;
  /** Apollo's finished answer, before it is written: stored when it may be, with headers saying who else may keep it. */
  answered(req: Request, res: Response, answer: HTTPGraphQLResponse): void;
  /** Stops listening for changes; the cache then stores nothing more. */
  stop(): void;
}

export interface PublicCacheOptions {
  settings: ResponseCacheConfig;
  notifications: Notifications;
  freshness?: FreshnessBarrier;
  log: Logger;
}

/**
 * Answers to anonymous queries, served without running GraphQL at all, and dropped on every
 * change the public can see, which the database announces to every instance (LISTEN/NOTIFY).
 */
export function startPublicCache(options: PublicCacheOptions): PublicCache {
  const { settings, log } = options;
  const cache = new ResponseCache({ ...settings, freshness: options.freshness, log });
  const misses = new WeakMap<Request, Miss>();

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

  const sendHit = (req: Request, res: Response, answer: CachedAnswer) => {
    res.status(200).set({
      "content-type": answer.contentType,
      etag: answer.etag,
      age: String(Math.max(0, Math.floor((Date.now() - answer.storedAt) / 1000))),
      "x-cache": "HIT",
    });
    if (req.method === "GET") res.set(publicAnswerHeaders(answer, settings)).vary("Accept").vary("Authorization");
    // With the ETag set, express neither hashes the body nor misses a conditional GET (304).
    res.send(answer.body);
  };

  return {
    serve(req, res, next) {
      const key = publicCacheKey({ method: req.method, headers: req.headers, search: queryStringOf(req), body: req.body });
      if (key === undefined) return next();
      const hit = cache.lookup(key);
      if (hit) return sendHit(req, res, hit);
      res.setHeader("x-cache", "MISS");
      misses.set(req, { key, ticket: cache.ticket(), facts: newAnswerFacts() });
      next();
    },
    plugin: answerFactsPlugin((http) => {
      const req = expressRequestOf(http);
      return req && misses.get(req)?.facts;
    }),
    answered(req, res, answer) {
      const miss = misses.get(req);
      if (!miss?.facts.cacheable || (answer.status ?? 200) !== 200 || answer.body.kind !== "complete") return;
      const body = Buffer.from(answer.body.string);
      const stored: CachedAnswer = {
        body,
        contentType: answer.headers.get("content-type") ?? "application/json; charset=utf-8",
        etag: `"${createHash("sha1").update(body).digest("base64url")}"`,
        storyIds: [...miss.facts.storyIds],
        dependsOnAllStories: miss.facts.dependsOnAllStories,
        storedAt: Date.now(),
      };
      // An answer computed while a change landed may hold the old content: no cache may keep it.
      if (!cache.storeIfCurrent(miss.ticket, miss.key, stored)) return;
      res.setHeader("etag", stored.etag);
      if (req.method === "GET") res.set(publicAnswerHeaders(stored, settings)).vary("Accept").vary("Authorization");
    },
    stop() {
      unsubscribe();
      cache.listeningStopped();
    },
  };
}
