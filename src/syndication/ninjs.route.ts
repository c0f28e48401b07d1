import type { Request, RequestHandler } from "express";
import type { RequestContext } from "../context/request-context.js";
import { asAppError, httpResponseOf } from "../errors.js";
import type { PublicCache } from "../response-cache/public-cache.js";
import * as syndication from "./syndication.service.js";

export const NINJS_STORY_PATH = "/ninjs/stories/:slug";

/**
 * GET /ninjs/stories/{slug}: the story as IPTC ninjs 3.1. The viewer is who the token says, as in
 * GraphQL: the public reads what it may read there, staff read drafts too. A story the viewer may
 * not read is a 404, with the same JSON error body as any other error. A public answer is stored
 * by the response cache (when it is on) and dropped when the story changes.
 */
export function ninjsStoryHandler(options: {
  contextOf: (req: Request) => Promise<RequestContext>;
  publicCache: PublicCache | undefined;
}): RequestHandler {
  return async (req, res, next) => {
    try {
      const ctx = await options.contextOf(req);
      const { storyId, item } = await syndication.ninjsOfStory(ctx, String(req.params.slug), ctx.publication);
      const body = JSON.stringify(item);
      const contentType = "application/json; charset=utf-8";
      options.publicCache?.resourceAnswered(req, res, { body, contentType, storyIds: [storyId] });
      res.status(200).type(contentType).send(body);
    } catch (error) {
      const appError = asAppError(error);
      if (!appError) return next(error);
      if (appError.code === "SERVICE_UNAVAILABLE") req.log.warn({ err: error }, "database unavailable");
      const { status, headers, body } = httpResponseOf(appError);
      res.status(status).set(headers).json(body);
    }
  };
}
