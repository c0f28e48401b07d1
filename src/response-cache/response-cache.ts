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
  /** How long after storedAt it is served at most (the HTTP max-age): the configured age, or less when an embargo lifts sooner. */
  maxAgeSeconds: number;
  /** Its lifetime ends when an embargo lifts: no cache may serve it stale after that. */
  endsAtEmbargoLift: boolean;
}

/** An answer as a request made it, before the cache decides how long it lives. */
export type NewAnswer = Omit<CachedAnswer, "maxAgeSeconds" | "endsAtEmbargoLift">;

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
  /**
   * When the next embargo of a published story lifts (null: none is set). Nothing changes in the
   * database then, so no notification comes: an answer that a lift can change (a list, a search,
   * a story not found) lives no longer than that. Read again after every invalidation and once
   * the lift has passed; nothing is stored while it is unknown. Left out, no answer waits for one.
   */
  nextEmbargoLift?: () => Promise<Date | null>;
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
  /** The next embargo lift (ms since the epoch, or null for none) as read in a generation. */
  private embargoLift: { generation: number; at: number | null } | undefined;
  /** The generation whose embargo lift is being read, so that it is read once at a time. */
  private readingLiftOf: number | undefined;

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
    return { generation: this.listening && this.readsCaughtUp && this.embargoLiftKnown() ? this.generation : null };
  }

  /**
   * Stores the answer if nothing was invalidated since the ticket was taken, to live until the
   * configured age or, if a lift can change it, the next embargo lift, whichever comes first; an
   * answer too large for the cache is left out. Returns the answer as stored when it was still
   * current, i.e. safe for a shared HTTP cache to keep too, for as long as it says; else undefined.
   */
  storeIfCurrent(ticket: StoreTicket, key: string, answer: NewAnswer): CachedAnswer | undefined {
    if (ticket.generation === null || ticket.generation !== this.generation) return undefined;
    let lifetimeMs = this.options.maxAgeSeconds * 1000;
    const liftAt = this.embargoLift?.generation === this.generation ? this.embargoLift.at : null;
    const endsAtEmbargoLift = answer.dependsOnAllStories && liftAt !== null && liftAt - answer.storedAt < lifetimeMs;
    if (endsAtEmbargoLift) {
      lifetimeMs = liftAt - answer.storedAt;
      // Read before the lift, answered after it: it may already be out of date.
      if (liftAt <= Date.now()) return undefined;
    }
    const stored: CachedAnswer = { ...answer, maxAgeSeconds: Math.floor(lifetimeMs / 1000), endsAtEmbargoLift };
    this.entries.set(key, stored, { ttl: Math.max(1, lifetimeMs - (Date.now() - answer.storedAt)) });
    return stored;
  }

  /** Drops what the change may have made stale; returns how many answers that was. */
  invalidate(change: PublicContentChange): number {
    this.generation += 1;
    this.awaitFreshReads();
    this.readEmbargoLift();
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

  /** Whether the next embargo lift is known for this generation and still ahead; if not, it is read (again). */
  private embargoLiftKnown(): boolean {
    if (!this.options.nextEmbargoLift) return true;
    const lift = this.embargoLift;
    if (lift?.generation === this.generation && (lift.at === null || lift.at > Date.now())) return true;
    this.readEmbargoLift();
    return false;
  }

  private readEmbargoLift(): void {
    const { nextEmbargoLift } = this.options;
    const generation = this.generation;
    if (!nextEmbargoLift || this.readingLiftOf === generation) return;
    this.readingLiftOf = generation;
    nextEmbargoLift()
      .then(
        (at) => {
          if (this.generation === generation) this.embargoLift = { generation, at: at?.getTime() ?? null };
        },
        (error: unknown) => {
          // The next ticket asks again; until then nothing is stored.
          this.options.log.warn({ err: error }, "response cache: could not read the next embargo lift; storing nothing until it can");
        },
      )
      .finally(() => {
        if (this.readingLiftOf === generation) this.readingLiftOf = undefined;
      });
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
