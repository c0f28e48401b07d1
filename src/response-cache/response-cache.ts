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
  /** Date.now() when it was stored: the time it is kept counts from then. */
  storedAt: number;
  /**
   * When the next embargo lifts (ms since the epoch), for an answer that a lift can change; null
   * when none can. It is dropped then, and no cache may keep it past that.
   */
  liftAt: number | null;
}

/** An answer as a request made it, before the cache knows which lift can change it. */
export type NewAnswer = Omit<CachedAnswer, "liftAt">;

/**
 * Taken when a request that may be stored arrives, before it reads anything. Null when nothing
 * read from now on may be stored: the cache does not hear every change just now, or reads may not
 * yet see the last change it heard of.
 */
export interface StoreTicket {
  readonly generation: number | null;
  /** Date.now() when it was taken: an embargo that lifts after this may have changed the answer. */
  readonly takenAt: number;
}

export interface ResponseCacheOptions {
  maxEntries: number;
  /** Bodies and keys together. */
  maxBytes: number;
  /**
   * How long an answer is kept at most. Changes drop it at once; this bounds only how long it
   * could outlive one that was never announced (a listening connection broken without a word).
   */
  keepSeconds: number;
  /** After each invalidation, nothing is stored until this says reads see the change (read replicas). */
  freshness?: FreshnessBarrier;
  /**
   * When the next embargo of a published story lifts after the given time (null: none does).
   * Nothing changes in the database then, so no notification comes: an answer that a lift can
   * change (a list, a search, a story not found) lives no longer than that. Read again after every
   * invalidation and once the lift has passed; an answer is stored only if the lift was read from
   * before the answer was begun. Left out, no answer waits for a lift.
   */
  nextEmbargoLift?: (after: Date) => Promise<Date | null>;
  log: Logger;
}

/** How long to wait before asking again after a failure: the freshness barrier, or the next embargo lift. */
const RETRY_MS = 1000;

/** How many reads of the next embargo lift a miss waits through before it goes on without it. */
const LIFT_READ_ROUNDS = 3;

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
  /** The next embargo lift after readFrom (ms since the epoch, or null for none), as read in a generation. */
  private embargoLift: { generation: number; readFrom: number; at: number | null } | undefined;
  /** Whether the embargo lift is being read, so that it is read once at a time. */
  private readingLift = false;
  /** The read of the embargo lift under way, if one is. */
  private liftRead: Promise<void> | undefined;

  constructor(private readonly options: ResponseCacheOptions) {
    this.entries = new LRUCache({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (answer, key) => answer.body.length + key.length,
      ttl: options.keepSeconds * 1000,
    });
  }

  lookup(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  /**
   * Settles once the next embargo lift of the current generation has been read (at once when it
   * has, or when no lift is asked for). A miss waits for it before it begins, so that its answer can
   * be stored: an answer made before the lift is known is never stored.
   */
  async liftKnown(): Promise<void> {
    // An invalidation during a read starts another read; a few such rounds are waited for, but a
    // steady stream of changes must not hold a request back: its answer is then simply not stored.
    for (let round = 0; round < LIFT_READ_ROUNDS; round += 1) {
      if (!this.options.nextEmbargoLift || this.embargoLift?.generation === this.generation || !this.liftRead) return;
      await this.liftRead;
    }
  }

  ticket(): StoreTicket {
    const lift = this.embargoLift;
    if (lift?.generation === this.generation && lift.at !== null && lift.at <= Date.now()) this.readEmbargoLift();
    return { generation: this.listening && this.readsCaughtUp ? this.generation : null, takenAt: Date.now() };
  }

  /**
   * Stores the answer if nothing was invalidated since the ticket was taken, to be kept until a
   * change drops it, for the configured time at most, and, if a lift can change it, no later than
   * the next embargo lift; an answer too large for the cache is left out. Returns the answer as
   * stored when it was still current, i.e. safe for a shared HTTP cache to keep too; else undefined.
   */
  storeIfCurrent(ticket: StoreTicket, key: string, answer: NewAnswer): CachedAnswer | undefined {
    if (ticket.generation === null || ticket.generation !== this.generation) return undefined;
    let liftAt: number | null = null;
    if (this.options.nextEmbargoLift) {
      // No embargo lifted while the answer was made: the lift read is the first after a time before
      // it was begun (readFrom, the invalidation's time for the first read of a generation), and is still ahead.
      const lift = this.embargoLift;
      if (lift?.generation !== this.generation || lift.readFrom > ticket.takenAt) return undefined;
      if (lift.at !== null) {
        if (lift.at <= Date.now()) return undefined;
        if (answer.dependsOnAllStories) liftAt = lift.at;
      }
    }
    const stored: CachedAnswer = { ...answer, liftAt };
    const kept = this.options.keepSeconds * 1000 - (Date.now() - answer.storedAt);
    this.entries.set(key, stored, { ttl: Math.max(1, liftAt === null ? kept : Math.min(kept, liftAt - Date.now())) });
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

  /** Reads the next embargo lift from now, for this generation; a generation's first read starts as it does. */
  private readEmbargoLift(): void {
    const { nextEmbargoLift } = this.options;
    if (!nextEmbargoLift || this.readingLift) return;
    const generation = this.generation;
    const readFrom = Date.now();
    this.readingLift = true;
    this.liftRead = nextEmbargoLift(new Date(readFrom))
      .then(
        (at) => {
          if (this.generation === generation) this.embargoLift = { generation, readFrom, at: at?.getTime() ?? null };
        },
        (error: unknown) => {
          this.options.log.warn({ err: error }, "response cache: could not read the next embargo lift; storing nothing until it can");
          setTimeout(() => {
            if (this.generation === generation) this.readEmbargoLift();
          }, RETRY_MS).unref();
        },
      )
      .finally(() => {
        this.readingLift = false;
        this.liftRead = undefined;
        // An invalidation while it was read needs a read of its own.
        if (this.generation !== generation) this.readEmbargoLift();
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
        if (this.generation === generation) setTimeout(retry, RETRY_MS).unref();
      },
    );
  }
}
