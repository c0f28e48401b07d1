import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import { isUuid } from "../db/ids.js";
import type { Notifications } from "../db/notifications.js";
import type { Story, User } from "../generated/prisma/client.js";
import { readableStoriesWhere, type StoryStatus } from "../stories/story.rules.js";
import type { Viewer } from "../users/users.rules.js";
import { kindOfEvent, type StoryChangeKind } from "./live.rules.js";

/**
 * The channel on which the database announces each committed audit event by its id (the trigger in
 * prisma/migrations/20261201103000_live_desk): delivered at commit, in commit order, never for a
 * transaction that rolled back.
 */
export const STORY_EVENT_CHANNEL = "story_event_committed";

/** One committed change to a story, as subscribers hear of it. */
export interface LiveEvent {
  id: string;
  storyId: string;
  /** The audit trail's own name for it (StoryChange.action). */
  action: string;
  kind: StoryChangeKind;
  /** The story's version after the change. */
  version: number;
  fromStatus: StoryStatus | null;
  toStatus: StoryStatus | null;
  at: Date;
  actor: User | null;
}

/**
 * The events of one round of notifications, in commit order. The stories they name are read once
 * per reader's rule (readableStoriesWhere), however many subscribers share it, and only when a
 * subscriber asks.
 */
export class EventBatch {
  private readonly readable = new Map<string, Promise<Map<string, Story>>>();

  constructor(
    readonly events: readonly LiveEvent[],
    private readonly db: Database,
  ) {}

  /** The batch's stories as they are now, those the viewer may read, by id. */
  storiesReadableBy(viewer: Viewer): Promise<Map<string, Story>> {
    const where = readableStoriesWhere(viewer);
    const key = JSON.stringify(where);
    let loaded = this.readable.get(key);
    if (!loaded) {
      const ids = [...new Set(this.events.map((event) => event.storyId))];
      loaded = this.db.story
        .findMany({ where: { AND: [{ id: { in: ids } }, where] } })
        .then((stories) => new Map(stories.map((story) => [story.id, story])));
      this.readable.set(key, loaded);
    }
    return loaded;
  }
}

export interface FeedListener {
  /** A batch of committed events; it must not throw, nor wait. */
  received(batch: EventBatch): void;
}

/**
 * Each instance's one listener on the audit trail: it reads the events a round of notifications
 * names (two statements however many there are) and hands them, in commit order, to every live
 * subscription of this instance, each of which queues what it wants without waiting for others.
 */
export class StoryEventFeed {
  private readonly listeners = new Set<FeedListener>();
  private pending: string[] = [];
  private scheduled = false;
  /** The batches being read, chained so that they are handed on in the order they were notified. */
  private delivering: Promise<void> = Promise.resolve();
  private readonly stopListening: () => void;
  /** Resolves once LISTEN is in effect: from then on, every committed event arrives. */
  readonly ready: Promise<void>;

  constructor(
    notifications: Notifications,
    private readonly db: Database,
    private readonly log: Logger,
  ) {
    let listening!: () => void;
    this.ready = new Promise((resolve) => (listening = resolve));
    this.stopListening = notifications.subscribe(STORY_EVENT_CHANNEL, {
      notified: (payload) => this.notified(payload),
      listening: () => {
        log.info("live desk listening for story events");
        listening();
      },
      // Events committed while the connection was down are not heard again: live subscribers miss
      // them, as the logs say; each story's version tells a client that it missed a change.
      interrupted: (error) => log.warn({ err: error }, "live desk stopped hearing story events until the database is back"),
    });
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many live subscriptions this instance serves. */
  listenerCount(): number {
    return this.listeners.size;
  }

  stop(): void {
    this.stopListening();
    this.listeners.clear();
  }

  private notified(payload: string): void {
    if (!isUuid(payload)) return;
    this.pending.push(payload);
    if (this.scheduled) return;
    this.scheduled = true;
    // Notifications of one commit arrive together: they are read as one batch.
    setImmediate(() => {
      this.scheduled = false;
      const ids = this.pending;
      this.pending = [];
      const batch = this.read(ids);
      this.delivering = this.delivering.then(async () => {
        try {
          const loaded = await batch;
          if (loaded.events.length === 0) return;
          for (const listener of [...this.listeners]) listener.received(loaded);
        } catch (error) {
          this.log.error({ err: error, events: ids.length }, "live desk could not read committed story events");
        }
      });
    });
  }

  private async read(ids: string[]): Promise<EventBatch> {
    if (this.listeners.size === 0) return new EventBatch([], this.db);
    const rows = await this.db.storyEvent.findMany({ where: { id: { in: ids } }, include: { actor: true } });
    const corrected = rows.length
      ? await this.db.correction.findMany({
          where: { OR: rows.map((row) => ({ storyId: row.storyId, version: row.version })) },
          select: { storyId: true, version: true },
        })
      : [];
    const correctedVersions = new Set(corrected.map((correction) => `${correction.storyId}@${correction.version}`));
    const order = new Map(ids.map((id, index) => [id, index]));
    const events = rows
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
      .map((row): LiveEvent => ({
        id: row.id,
        storyId: row.storyId,
        action: row.action,
        kind: kindOfEvent(row.action, correctedVersions.has(`${row.storyId}@${row.version}`)),
        version: row.version,
        fromStatus: row.fromStatus,
        toStatus: row.toStatus,
        at: row.createdAt,
        actor: row.actor,
      }));
    return new EventBatch(events, this.db);
  }
}
