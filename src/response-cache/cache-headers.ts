import type { RequestHandler } from "express";
import type { ResponseCacheConfig } from "../config.js";
import type { CachedAnswer } from "./response-cache.js";

/**
 * Who may keep an answer of /graphql until it is known to be public: a request with an
 * Authorization header is staff (or means to be), and its answer is private and never stored;
 * anything else, errors included, is not stored either. Only a public answer to a GET says more.
 */
export const defaultCacheControl: RequestHandler = (req, res, next) => {
  res.setHeader("cache-control", req.headers.authorization !== undefined ? "private, no-store" : "no-store");
  next();
};

/** The purge keys of an answer: each story it holds, and "stories" when a change to any story may change it. */
export function surrogateKeysOf(answer: Pick<CachedAnswer, "storyIds" | "dependsOnAllStories">): string {
  return [...answer.storyIds.map((id) => `story-${id}`), ...(answer.dependsOnAllStories ? ["stories"] : [])].join(" ");
}

/**
 * The Cache-Control of a public answer to an anonymous GET, from this cache or fresh, sent at
 * `now`: any cache may keep it for max-age and serve it a while longer as it fetches a new one.
 * An answer is as fresh as a new one whenever it is sent, since every change drops it, so it says
 * no Age. No cache may keep one past the embargo lift that can change it, stale or not.
 */
export function publicCacheControl(answer: Pick<CachedAnswer, "liftAt">, settings: ResponseCacheConfig, now: number): string {
  const untilLift = answer.liftAt === null ? Infinity : answer.liftAt - now;
  if (untilLift >= (settings.maxAgeSeconds + settings.staleWhileRevalidateSeconds) * 1000)
    return `public, max-age=${settings.maxAgeSeconds}, stale-while-revalidate=${settings.staleWhileRevalidateSeconds}`;
  return `public, max-age=${Math.min(settings.maxAgeSeconds, Math.max(0, Math.floor(untilLift / 1000)))}`;
}
