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
 * The headers of a public answer to an anonymous GET, from this cache or fresh: any cache may keep
 * it for max-age (counted from when it was stored, which Age says of a hit), serve it a while
 * longer as it fetches a new one, and purge it by its keys. An answer that ends at an embargo lift
 * may not be served stale. It varies with Accept (which picks the content type) and Authorization
 * (staff get another answer). A POST cannot be cached by HTTP caches, and keeps no-store.
 */
export function publicAnswerHeaders(answer: CachedAnswer, settings: ResponseCacheConfig): Record<string, string> {
  const cacheControl = answer.endsAtEmbargoLift
    ? `public, max-age=${answer.maxAgeSeconds}`
    : `public, max-age=${answer.maxAgeSeconds}, stale-while-revalidate=${settings.staleWhileRevalidateSeconds}`;
  // An answer that holds no story and depends on none (`{ __typename }`) has nothing to be purged by.
  const keys = surrogateKeysOf(answer);
  return keys ? { "cache-control": cacheControl, "surrogate-key": keys } : { "cache-control": cacheControl };
}
