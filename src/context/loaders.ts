import DataLoader from "dataloader";
import type { Database } from "../db/client.js";
import type { Attribution, StoryEvent, StoryPhoto } from "../generated/prisma/client.js";
import type { Viewer } from "../users/users.rules.js";

/**
 * Per-request batch loaders for relations whose rows depend on who asks: one SQL statement per
 * relation per tick, however many parents a page holds. Built per request so that nothing read
 * for one viewer is served to another. Plain relations go through Prisma's own batching instead.
 */
export interface Loaders {
  attributionsByStory: DataLoader<string, Attribution[]>;
  attributionsBySource: DataLoader<string, Attribution[]>;
  placementsByPhoto: DataLoader<string, StoryPhoto[]>;
  eventsByStory: DataLoader<string, StoryEvent[]>;
}

function groupBy<Row, Key>(keys: readonly Key[], rows: Row[], keyOf: (row: Row) => Key): Row[][] {
  const groups = new Map<Key, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

export function createLoaders(db: Database, viewer: Viewer): Loaders {
  // The public sees confirmed attributions in published stories only; the importer's unconfirmed
  // guesses and everything about unpublished copy stay in the newsroom.
  const publicAttribution = viewer ? {} : { confirmed: true, story: { status: "PUBLISHED" as const } };
  const publicPlacement = viewer ? {} : { story: { status: "PUBLISHED" as const } };
  return {
    attributionsByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.attribution.findMany({
          where: { storyId: { in: [...storyIds] }, ...publicAttribution },
          orderBy: [{ paragraph: { position: "asc" } }, { createdAt: "asc" }, { id: "asc" }],
        }),
        (row) => row.storyId,
      ),
    ),
    attributionsBySource: new DataLoader(async (sourceIds) =>
      groupBy(
        sourceIds,
        await db.attribution.findMany({
          where: { sourceId: { in: [...sourceIds] }, ...publicAttribution },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
        (row) => row.sourceId,
      ),
    ),
    placementsByPhoto: new DataLoader(async (photoIds) =>
      groupBy(
        photoIds,
        await db.storyPhoto.findMany({
          where: { photoId: { in: [...photoIds] }, ...publicPlacement },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        }),
        (row) => row.photoId,
      ),
    ),
    eventsByStory: new DataLoader(async (storyIds) =>
      groupBy(
        storyIds,
        await db.storyEvent.findMany({ where: { storyId: { in: [...storyIds] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
        (row) => row.storyId,
      ),
    ),
  };
}
