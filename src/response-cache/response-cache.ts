import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { FreshnessBarrier } from "../db/freshness.js";
import type { PublicContentChange } from "../db/public-content-changes.js";

/** One stored answer to an anonymous query, as it went out. */
export interface CachedAnswer {
  body: Buffer;
  contentType: string;
  /** Computed once when stored, so that a hit neither hashes nor serialises anything. */
  etag: string;
  /** The stories whose content the answer holds. */
  storyIds: readonly string[];
  /** Whether a change to any story may change it: a list, a search, a story not found, anything but stories by id or slug. */
  dependsOnAllStories: boolean;
  /** Date.now() when it was stored, for the Age header. */
  storedAt: number;
}

/**
 * Taken when a request that may be stored arrives, before it reads anything. Null when nothing
 * read from now on may be stored: the cache does not hear every change just now, or reads may not
 * yet see the last change it heard of.
 */
export interface StoreTicket {
  readonly generation: number | null;
}

export interface ResponseCacheOptions {
  maxEntries: number;
  /** Bodies and keys together. */
  maxBytes: number;
  /** How long an answer is served at most, changed or not: the HTTP max-age. */
  maxAgeSeconds: number;
  /** After each invalidation, nothing is stored until this says reads see the change (read replicas). */
  freshness?: FreshnessBarrier;
  log: Logger;
}

/** How long to wait before asking the freshness barrier again after it failed. */
const FRESHNESS_RETRY_MS = 1000;

/**
 * Answers to anonymous queries, bounded by entries, bytes and age, least recently used first out.
 * What makes it safe is the invalidation: every change the public can see drops the answers that
 * hold the stories it touched, and every answer that may depend on any story. An answer computed
 * while a change landed may hold the old content; the generation, bumped by every invalidation,
 * keeps it out: it is stored only if no invalidation came between its ticket and its store.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer>;
  private generation = 0;
  /** LISTEN is in effect, so every change reaches invalidate(); until then nothing is stored. */
  private listening = false;
  /** Reads see every change invalidated so far (the freshness barrier of the last one has passed). */
  private readsCaughtUp = true;

  constructor(private readonly options: ResponseCacheOptions) {
    this.entries = new LRUCache({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (answer, key) => answer.body.length + key.length,
      ttl: options.maxAgeSeconds * 1000,
    });
  }

  lookup(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  ticket(): StoreTicket {
    return { generation: this.listening && this.readsCaughtUp ? this.generation : null };
  }

  /**
   * Stores the answer if nothing was invalidated since the ticket was taken; an answer too large
   * for the cache is left out. Says whether the answer was still current, i.e. safe for a shared
   * HTTP cache to keep too.
   */
  storeIfCurrent(ticket: StoreTicket, key: string, answer: CachedAnswer): boolean {
    if (ticket.generation === null || ticket.generation !== this.generation) return false;
    this.entries.set(key, answer);
    return true;
  }

  /** Drops what the change may have made stale; returns how many answers that was. */
  invalidate(change: PublicContentChange): number {
    this.generation += 1;
    this.awaitFreshReads();
    const before = this.entries.size;
    if (change === "all") {
      this.entries.clear();
      return before;
    }
    const changed = new Set(change);
    const stale: string[] = [];
    for (const [key, answer] of this.entries.entries()) {
      if (answer.dependsOnAllStories || answer.storyIds.some((id) => changed.has(id))) stale.push(key);
    }
    for (const key of stale) this.entries.delete(key);
    return stale.length;
  }

  /** LISTEN took effect (again): whatever changed before is unknown, so everything goes. */
  listeningStarted(): void {
    this.invalidate("all");
    this.listening = true;
  }

  /** Changes are no longer heard: nothing stored can be trusted, and nothing is stored until listening starts again. */
  listeningStopped(): void {
    this.listening = false;
    this.invalidate("all");
  }

  get size(): number {
    return this.entries.size;
  }

  private awaitFreshReads(): void {
    const { freshness } = this.options;
    if (!freshness) return;
    const generation = this.generation;
    this.readsCaughtUp = false;
    freshness.readsCaughtUp().then(
      () => {
        // A later invalidation waits for its own barrier.
        if (this.generation === generation) this.readsCaughtUp = true;
      },
      (error: unknown) => {
        this.options.log.warn(
          { err: error },
          "response cache: could not learn whether reads see the last change; storing nothing until they do",
        );
        const retry = () => {
          if (this.generation === generation) this.awaitFreshReads();
        };
        if (this.generation === generation) setTimeout(retry, FRESHNESS_RETRY_MS).unref();
      },
    );
  }
}
