import type { DatabaseTarget } from "../../src/config.js";
import { createLoaders } from "../../src/context/loaders.js";
import { connectDatabase, type Database } from "../../src/db/client.js";
import { scheduleStory } from "../../src/scheduling/scheduling.service.js";
import { createStory } from "../../src/stories/story-editing.service.js";
import { issueTokenForName } from "../../src/users/user.service.js";

/** How many stories are written at once: enough to be quick, few enough for PGlite's one connection to queue. */
const PARALLEL_WRITES = 8;

/**
 * Writes `count` drafts and schedules each, through the services as the API does (a CREATED and a
 * SCHEDULED event and revision each), for an hour from now; the test then moves them all to the
 * second it wants with dueAt, since scheduling itself refuses a time already past.
 */
export async function scheduleDrafts(db: Database, count: number, label: string): Promise<string[]> {
  const { user } = await issueTokenForName(db, { name: "Scheduling Desk", role: "EDITOR" });
  const viewer = { id: user.id, name: user.name, role: user.role };
  const later = new Date(Date.now() + 3600_000);
  const ids: string[] = [];
  for (let start = 0; start < count; start += PARALLEL_WRITES) {
    const batch = Array.from({ length: Math.min(PARALLEL_WRITES, count - start) }, async (_, i) => {
      const ctx = { db, viewer, loaders: createLoaders(db, viewer) };
      const n = start + i + 1;
      const story = await createStory(ctx, { headline: `${label} ${n}`, paragraphs: [`Scheduled story ${n} of ${count}.`] });
      await scheduleStory(ctx, story.id, story.version, later);
      return story.id;
    });
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

/**
 * Moves every schedule to `secondsAhead` from the database's current second (negative: already
 * past), in one statement; the trigger tells every scheduler.
 */
export async function dueAt(db: Database, secondsAhead: number): Promise<Date> {
  const [row] = await db.$queryRaw<{ publish_at: Date }[]>`
    UPDATE stories SET scheduled_for = date_trunc('second', now()) + make_interval(secs => ${secondsAhead})
     WHERE scheduled_for IS NOT NULL RETURNING scheduled_for AS publish_at`;
  if (!row) throw new Error("no story is scheduled");
  return row.publish_at;
}

export interface PublicationFacts {
  stories: number;
  published: number;
  stillScheduled: number;
  publishedEvents: number;
  storiesWithOnePublishedEvent: number;
  publishedRevisions: number;
  /** Publications whose publishedAt is before the publishAt their event records. */
  early: number;
  /** Publications whose event records no publishAt. */
  withoutPublishAt: number;
  /** publishedAt - publishAt of each, in ms. */
  latenessMs: number[];
}

/** What the database holds of the scheduled publications: the facts the tests and the benchmark check. */
export async function publicationFacts(target: DatabaseTarget): Promise<PublicationFacts> {
  const handle = await connectDatabase(target);
  try {
    const db = handle.prisma;
    const [stories] = await db.$queryRaw<{ stories: number; published: number; still_scheduled: number }[]>`
      SELECT count(*)::int AS stories, count(*) FILTER (WHERE status = 'PUBLISHED')::int AS published,
             count(*) FILTER (WHERE scheduled_for IS NOT NULL)::int AS still_scheduled FROM stories`;
    const events = await db.$queryRaw<{ story_id: string; publish_at: string | null; lateness_ms: number | null }[]>`
      SELECT e.story_id::text AS story_id, e.details->>'publishAt' AS publish_at,
             (extract(epoch FROM s.published_at - (e.details->>'publishAt')::timestamptz) * 1000)::float8 AS lateness_ms
        FROM story_events e JOIN stories s ON s.id = e.story_id WHERE e.action = 'PUBLISHED'`;
    const [revisions] = await db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM story_revisions WHERE action = 'PUBLISHED'`;
    const perStory = new Map<string, number>();
    for (const event of events) perStory.set(event.story_id, (perStory.get(event.story_id) ?? 0) + 1);
    const latenessMs = events.flatMap((event) => (event.lateness_ms === null ? [] : [event.lateness_ms]));
    return {
      stories: stories!.stories,
      published: stories!.published,
      stillScheduled: stories!.still_scheduled,
      publishedEvents: events.length,
      storiesWithOnePublishedEvent: [...perStory.values()].filter((n) => n === 1).length,
      publishedRevisions: revisions!.count,
      early: latenessMs.filter((ms) => ms < 0).length,
      withoutPublishAt: events.filter((event) => event.publish_at === null).length,
      latenessMs,
    };
  } finally {
    await handle.close();
  }
}
