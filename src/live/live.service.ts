import { forgetLoaded } from "../context/loaders.js";
import type { OperationContext } from "../context/operation-context.js";
import { isUuid } from "../db/ids.js";
import { badInput } from "../errors.js";
import type { Story, User } from "../generated/prisma/client.js";
import { requireStaff } from "../users/users.rules.js";
import { LIVE_CLOSE, publicHearsOnceLoaded, showsStoryWith, viewerHearsOf, type StoryChangeKind } from "./live.rules.js";
import type { EventBatch, FeedListener, LiveEvent, StoryEventFeed } from "./story-event-feed.js";

/** The connection a subscription came on, as the transport (src/graphql/websocket.ts) lends it to the service. */
export interface LiveConnection {
  /** Closes the connection with one of LIVE_CLOSE's codes. */
  drop(close: { code: number; reason: string }): void;
  /** Bytes written to the connection and not yet taken by the network. */
  bufferedBytes(): number;
}

/** What a subscription's service receives besides the viewer and the database. */
export interface LiveOperationContext extends OperationContext {
  live: {
    feed: StoryEventFeed;
    connection: LiveConnection;
    /** Events that may wait for one subscriber before its connection is dropped as too slow. */
    queueLimit: number;
    /** Bytes that may wait in the connection's send buffer before it is dropped as too slow. */
    maxBufferedBytes: number;
  };
}

/** One event as a subscriber receives it (StoryChange). */
export interface StoryChange {
  kind: StoryChangeKind;
  action: string;
  storyId: string;
  version: number;
  at: Date;
  /** The story as it is now, with the version and status the change gave it; null when the viewer may not see it. */
  story: Story | null;
  /** Who made the change; null for the public, for the wire and the seed, and for users since removed. */
  actor: User | null;
}

/** Every committed change of one story the viewer may hear of (storyChanged). */
export function storyChanges(ctx: LiveOperationContext, storyId: string): AsyncIterableIterator<StoryChange> {
  if (!isUuid(storyId)) throw badInput("id", "id is a story's id (a UUID)");
  return new LiveStream(ctx, (event) => event.storyId === storyId);
}

/** Every committed change of every story, for the desk (deskActivity). */
export function deskActivity(ctx: LiveOperationContext): AsyncIterableIterator<StoryChange> {
  requireStaff(ctx.viewer);
  return new LiveStream(ctx, () => true);
}

/**
 * One subscription: a bounded queue that the feed fills without waiting, and that the transport
 * drains as fast as the subscriber reads. The transport asks for the next event only once the
 * previous one has been written, so a subscriber that stops reading lets its queue grow; past the
 * limit (or past the send buffer's bound), its connection is dropped with TOO_SLOW, and nobody
 * else waits for it.
 */
class LiveStream implements AsyncIterableIterator<StoryChange>, FeedListener {
  private readonly queue: { batch: EventBatch; event: LiveEvent }[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  private readonly unlisten: () => void;

  constructor(
    private readonly ctx: LiveOperationContext,
    private readonly wants: (event: LiveEvent) => boolean,
  ) {
    this.unlisten = ctx.live.feed.listen(this);
  }

  received(batch: EventBatch): void {
    for (const event of batch.events) {
      if (this.wants(event) && viewerHearsOf(this.ctx.viewer, event)) this.queue.push({ batch, event });
    }
    const { connection, queueLimit, maxBufferedBytes } = this.ctx.live;
    if (this.queue.length > queueLimit || connection.bufferedBytes() > maxBufferedBytes) {
      this.close();
      connection.drop(LIVE_CLOSE.TOO_SLOW);
      return;
    }
    this.wakeUp();
  }

  async next(): Promise<IteratorResult<StoryChange>> {
    while (!this.closed) {
      const next = this.queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const { batch, event } = next;
      const viewer = this.ctx.viewer;
      const story = (await batch.storiesReadableBy(viewer)).get(event.storyId);
      if (!viewer && !publicHearsOnceLoaded(event, story !== undefined)) continue;
      // The subscription's loaders serve one event at a time: what a field read for the last one is stale now.
      forgetLoaded(this.ctx.loaders);
      return {
        done: false,
        value: {
          kind: event.kind,
          action: event.action,
          storyId: event.storyId,
          version: event.version,
          at: event.at,
          story:
            showsStoryWith(viewer, event, story !== undefined) && story
              ? { ...story, version: event.version, status: event.toStatus ?? story.status }
              : null,
          actor: viewer ? event.actor : null,
        },
      };
    }
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<StoryChange>> {
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.unlisten();
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
