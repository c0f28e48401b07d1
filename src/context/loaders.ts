import DataLoader from "dataloader";
import { ATTRIBUTION_ORDER, readableAttributionsWhere } from "../attributions/attribution.rules.js";
import type { Database } from "../db/client.js";
import type {
  Attribution,
  Byline,
  Correction,
  Paragraph,
  Photo,
  PhotoRendition,
  Source,
  Story,
  StoryEvent,
  StoryPhoto,
  User,
} from "../generated/prisma/client.js";
import { RENDITION_ORDER } from "../media/media.rules.js";
import { readablePlacementsWhere } from "../photos/photo.rules.js";
import { PUBLISH_FACTS_SELECT, readsPublishBlockers, type PublishFactsRow } from "../stories/publish.rules.js";
import { readableIdentityKeepersWhere, readableSourcesWhere } from "../sources/source.rules.js";
import { readableHistoryWhere, readableParagraphsWhere, readableStoriesWhere } from "../stories/story.rules.js";
import type { Viewer } from "../users/users.rules.js";

/** A photo as placed in a story, with the photo: a placement is never shown without it. */
export type PlacementRow = StoryPhoto & { photo: Photo };

/**
 * Per-request batch loaders: each loads one relation for every parent a request reached in the
 * same tick with one findMany, so a page costs as many statements however many rows it holds.
 * Field resolvers use them when the query that read the parent did not load the relation with
 * it. Each applies the rules of what the viewer may read, and is built per request so that
 * nothing read for one viewer is served to another.
 */
export interface Loaders {
  storyById: DataLoader<string, Story | null>;
  paragraphById: DataLoader<string, Paragraph | null>;
  paragraphsByStory: DataLoader<string, Paragraph[]>;
  placementsByStory: DataLoader<string, PlacementRow[]>;
  storiesByPhoto: DataLoader<string, Story[]>;
  renditionsByPhoto: DataLoader<string, PhotoRendition[]>;
  attributionsByStory: DataLoader<string, Attribution[]>;
  attributionsBySource: DataLoader<string, Attribution[]>;
  sourceById: DataLoader<string, Source | null>;
  identityKeepersBySource: DataLoader<string, User[]>;
  eventsByStory: DataLoader<string, StoryEvent[]>;
  userById: DataLoader<string, User | null>;
  bylinesByStory: DataLoader<string, Byline[]>;
  correctionsByStory: DataLoader<string, Correction[]>;
  /** What the publish rules read of each story; null for the public, who read no blockers. */
  publishFactsByStory: DataLoader<string, PublishFactsRow | null>;
}

function groupBy<Row>(keys: readonly string[], rows: Row[], keyOf: (row: Row) => string): Row[][] {
  const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

function byId<Row extends { id: string }>(keys: readonly string[], rows: Row[]): (Row | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return keys.map((key) => found.get(key) ?? null);
}

export function createLoaders(db: Database, viewer: Viewer): Loaders {
  const historyWhere = readableHistoryWhere(viewer);
  const identityKeepersWhere = readableIdentityKeepersWhere(viewer);
  return {
    storyById: new DataLoader(async (ids) =>
      byId(ids, await db.story.findMany({ where: { AND: [{ id: { in: [...ids] } }, readableStoriesWhere(viewer)] } })),
    ),
    paragraphById: new DataLoader(async (ids) =>
      byId(ids, await db.paragraph.findMany({ where: { AND: [{ id: { in: [...ids] } }, readableParagraphsWhere(viewer)] } })),
    ),
    paragraphsByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.paragraph.findMany({
          where: { AND: [{ storyId: { in: [...storyIds] } }, readableParagraphsWhere(viewer)] },
          orderBy: { position: "asc" },
        }),
        (row) => row.storyId,
      ),
    ),
    placementsByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.storyPhoto.findMany({
          where: { AND: [{ storyId: { in: [...storyIds] } }, readablePlacementsWhere(viewer)] },
          orderBy: { position: "asc" },
          include: { photo: true },
        }),
        (row) => row.storyId,
      ),
    ),
    storiesByPhoto: new DataLoader(async (photoIds) =>
      groupBy(
        photoIds,
        await db.storyPhoto.findMany({
          where: { AND: [{ photoId: { in: [...photoIds] } }, readablePlacementsWhere(viewer)] },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          include: { story: true },
        }),
        (row) => row.photoId,
      ).map((placements) => placements.map((placement) => placement.story)),
    ),
    renditionsByPhoto: new DataLoader(async (photoIds) =>
      groupBy(
        photoIds,
        await db.photoRendition.findMany({ where: { photoId: { in: [...photoIds] } }, orderBy: RENDITION_ORDER }),
        (row) => row.photoId,
      ),
    ),
    attributionsByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.attribution.findMany({
          where: { AND: [{ storyId: { in: [...storyIds] } }, readableAttributionsWhere(viewer)] },
          orderBy: ATTRIBUTION_ORDER,
        }),
        (row) => row.storyId,
      ),
    ),
    attributionsBySource: new DataLoader(async (sourceIds) =>
      groupBy(
        sourceIds,
        await db.attribution.findMany({
          where: { AND: [{ sourceId: { in: [...sourceIds] } }, readableAttributionsWhere(viewer)] },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
        (row) => row.sourceId,
      ),
    ),
    sourceById: new DataLoader(async (ids) =>
      byId(ids, await db.source.findMany({ where: { AND: [{ id: { in: [...ids] } }, readableSourcesWhere(viewer)] } })),
    ),
    identityKeepersBySource: new DataLoader(async (sourceIds) => {
      if (identityKeepersWhere === null) return sourceIds.map(() => []);
      const keepers = await db.sourceIdentityKeeper.findMany({
        where: { AND: [{ sourceId: { in: [...sourceIds] } }, identityKeepersWhere] },
        orderBy: { user: { name: "asc" } },
        include: { user: true },
      });
      return groupBy(sourceIds, keepers, (keeper) => keeper.sourceId).map((group) => group.map((keeper) => keeper.user));
    }),
    eventsByStory: new DataLoader(async (storyIds) => {
      if (historyWhere === null) return storyIds.map(() => []);
      const events = await db.storyEvent.findMany({
        where: { AND: [{ storyId: { in: [...storyIds] } }, historyWhere] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return groupBy(storyIds, events, (event) => event.storyId);
    }),
    userById: new DataLoader(async (ids) => byId(ids, await db.user.findMany({ where: { id: { in: [...ids] } } }))),
    // Bylines and correction notes print with their story: whoever may read the story reads them.
    bylinesByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.byline.findMany({ where: { storyId: { in: [...storyIds] } }, orderBy: { position: "asc" } }),
        (row) => row.storyId,
      ),
    ),
    correctionsByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.correction.findMany({ where: { storyId: { in: [...storyIds] } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
        (row) => row.storyId,
      ),
    ),
    publishFactsByStory: new DataLoader(async (storyIds) => {
      if (!readsPublishBlockers(viewer)) return storyIds.map(() => null);
      return byId(storyIds, await db.story.findMany({ where: { id: { in: [...storyIds] } }, select: PUBLISH_FACTS_SELECT }));
    }),
  };
}

/** Forgets what the loaders read, once a write has committed, so that what the request reads next shows the write. */
export function forgetLoaded(loaders: Loaders): void {
  for (const loader of Object.values(loaders) as DataLoader<string, unknown>[]) loader.clearAll();
}
