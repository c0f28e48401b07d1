import type { IncomingMessage, ServerResponse } from "node:http";
import type { HTTPGraphQLResponse } from "@apollo/server";
import etag from "etag";
import type { Request } from "express";
import fresh from "fresh";
import { LRUCache } from "lru-cache";
import type { StatementRunner } from "../db/client.js";
import { queryStringOf } from "../graphql/express-handler.js";
import { paramsOfGet, passesCsrfPrevention } from "../graphql/http-request.js";
import { bindPublicRead, readPublicPage, type BoundRead, type PublicReadPlan } from "./public-read.service.js";

/** How many distinct queries (with their Accept header) the lane keeps ready; the least used go first. */
const KNOWN_QUERIES = 1000;

/** A query Apollo has answered from a plan: the plan, the content type it chose, the page sizes it let through. */
interface KnownQuery {
  plan: PublicReadPlan;
  contentType: string;
  /** For a page size given as a variable: the values whose cost Apollo's limits accepted. */
  pageSizes: Set<unknown>;
}

/** A GET the lane takes: the read it asks for, and how to answer it. */
export interface LaneRequest {
  read: BoundRead;
  contentType: string;
}

/** What the lane answers with, from the server: its request log, its CORS headers, and express for anything else. */
export interface LaneHttp {
  log(req: IncomingMessage, res: ServerResponse): void;
  cors(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** Hands the request to express and Apollo, which answer it as always (after the request log has started). */
  otherwise(req: IncomingMessage, res: ServerResponse): void;
}

export interface PublicReadLane {
  /** The read a public GET asks for, when Apollo has answered the same query, as the same client asks it, from a plan before. */
  take(req: IncomingMessage): LaneRequest | undefined;
  /** Answers a request taken, as Apollo answered its query: the same body, content type, cache headers and ETag. */
  answer(req: IncomingMessage, res: ServerResponse, taken: LaneRequest): Promise<void>;
  /** The public-read plugin's note that Apollo is answering this request from this plan. */
  planned(req: Request | undefined, plan: PublicReadPlan): void;
  /** Apollo's answer to a request: a public GET answered from a plan teaches the lane its query. */
  learn(req: Request, answer: HTTPGraphQLResponse): void;
  /** How many requests the lane has answered, for tests. */
  answered(): number;
}

/**
 * Public GETs of the story and front pages, answered without express or Apollo. Apollo answers a
 * query first: it parses, validates and applies every limit, and the public-read plugin reads it in
 * one statement. From then on the same query, asked the same way (URL parameters, Accept, no
 * Authorization, Apollo's CSRF rule), is read with the same statement and sent as Apollo sent it.
 * Anything else, or a read that fails, goes to express and Apollo as always. Like the response
 * cache, whose hits are served the same way, it saves what Apollo and express cost per request:
 * more than the statement itself.
 */
export function publicReadLane(publicStatements: () => StatementRunner, http: LaneHttp, graphqlPath: string): PublicReadLane {
  const known = new LRUCache<string, KnownQuery>({ max: KNOWN_QUERIES });
  const plans = new WeakMap<Request, PublicReadPlan>();
  let answered = 0;

  /** The query as a request asks it, if Apollo would take the request as it stands: its key, and its variables. */
  const askedBy = (req: IncomingMessage) => {
    if (req.method !== "GET" || req.headers.authorization !== undefined || !passesCsrfPrevention(req.headers)) return undefined;
    const params = paramsOfGet(req.headers, queryStringOf(req.url ?? ""));
    if (!params || typeof params.query !== "string" || params.extensions !== undefined) return undefined;
    const key = JSON.stringify([req.headers.accept ?? "", params.query, params.operationName ?? null]);
    return { key, variables: (params.variables ?? {}) as Record<string, unknown> };
  };
  const pageSizeVariable = (plan: PublicReadPlan) =>
    plan.root === "stories" && plan.first && "variable" in plan.first ? plan.first.variable : undefined;

  return {
    take(req) {
      if (req.url?.split("?", 1)[0] !== graphqlPath) return undefined;
      const asked = askedBy(req);
      const query = asked && known.get(asked.key);
      if (!query) return undefined;
      const read = bindPublicRead(query.plan, asked.variables);
      if (!read) return undefined;
      if (pageSizeVariable(query.plan) !== undefined && !query.pageSizes.has(read.argument)) return undefined;
      return { read, contentType: query.contentType };
    },

    async answer(req, res, taken) {
      http.log(req, res);
      let dataText: string;
      try {
        ({ dataText } = await readPublicPage(publicStatements(), taken.read));
      } catch {
        // Apollo reads again and answers however it answers a failure (503 while the database is away).
        http.otherwise(req, res);
        return;
      }
      answered += 1;
      // As Apollo writes a result (prettyJSONStringify), and express tags it (a weak ETag of the body).
      const body = `{"data":${dataText}}\n`;
      http.cors(req, res, () => {
        const tag = etag(body, { weak: true });
        res.setHeader("cache-control", "no-store");
        res.setHeader("content-type", taken.contentType);
        res.setHeader("etag", tag);
        if (fresh(req.headers, { etag: tag })) {
          res.statusCode = 304;
          res.end();
          return;
        }
        res.statusCode = 200;
        res.setHeader("content-length", String(Buffer.byteLength(body)));
        res.end(body);
      });
    },

    planned(req, plan) {
      if (req) plans.set(req, plan);
    },

    learn(req, answer) {
      const plan = plans.get(req);
      const contentType = answer.headers.get("content-type");
      if (!plan || !contentType || (answer.status ?? 200) !== 200 || answer.body.kind !== "complete") return;
      const asked = askedBy(req);
      if (!asked) return;
      const query = known.get(asked.key) ?? { plan, contentType, pageSizes: new Set() };
      const variable = pageSizeVariable(plan);
      const read = bindPublicRead(plan, asked.variables);
      if (variable !== undefined && read) query.pageSizes.add(read.argument);
      known.set(asked.key, query);
    },

    answered: () => answered,
  };
}
