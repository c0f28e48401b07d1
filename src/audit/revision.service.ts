import { ATTRIBUTION_ORDER } from "../attributions/attribution.rules.js";
import { publicView } from "../sources/source.rules.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Transaction } from "../db/client.js";
import { isUuid } from "../db/ids.js";
import { keysetPage, type KeysetOrder, type Page } from "../db/pagination.js";
import { badInput, notFound } from "../errors.js";
import { Prisma, type StoryRevision } from "../generated/prisma/client.js";
import type { StoryEventAction } from "./audit.rules.js";
import {
  diffFields,
  diffParagraphs,
  readableRevisionsWhere,
  type FieldDiff,
  type ParagraphDiff,
  type PrintedStory,
} from "./revision.rules.js";

/** What the story prints now, read in one statement inside the change's transaction. */
export async function printedStoryOf(tx: Transaction, storyId: string): Promise<PrintedStory> {
  const printed = (await printedStoriesOf(tx, [storyId])).get(storyId);
  if (!printed) throw new Error(`Story ${storyId} does not exist`);
  return printed;
}

/** What each of the stories prints now, by id, read in one statement whatever their number (a batch the scheduler publishes). */
export async function printedStoriesOf(tx: Transaction, storyIds: string[]): Promise<Map<string, PrintedStory>> {
  const stories = await tx.story.findMany({
    where: { id: { in: storyIds } },
    include: {
      bylines: { orderBy: { position: "asc" } },
      paragraphs: { orderBy: { position: "asc" } },
      photos: { orderBy: { position: "asc" }, include: { photo: true } },
      attributions: { where: { confirmed: true }, orderBy: ATTRIBUTION_ORDER, include: { source: true } },
    },
  });
  return new Map(stories.map((story) => [story.id, printedStory(story)]));
}

type StoryWithPrintedParts = Prisma.StoryGetPayload<{
  include: {
    bylines: true;
    paragraphs: true;
    photos: { include: { photo: true } };
    attributions: { include: { source: true } };
  };
}>;

function printedStory(story: StoryWithPrintedParts): PrintedStory {
  return {
    headline: story.headline,
    summary: story.summary,
    dateline: story.dateline,
    credit: story.credit,
    bylines: story.bylines.map(({ name, title, affiliation, userId }) => ({ name, title, affiliation, userId })),
    paragraphs: story.paragraphs.map(({ id, text }) => ({ id, text })),
    photos: story.photos.map((placement) => ({
      placementId: placement.id,
      photoId: placement.photoId,
      role: placement.role,
      caption: placement.caption ?? placement.photo.caption,
      storyCaption: placement.caption,
      credit: placement.photo.credit,
      paragraphId: placement.paragraphId,
    })),
    attributions: story.attributions.map(({ id, sourceId, source, paragraphId, kind, quote, method }) => {
      const shown = publicView(source);
      return {
        id,
        sourceId,
        source: { name: shown.name, title: shown.title, affiliation: shown.affiliation },
        paragraphId,
        kind,
        quote,
        method,
      };
    }),
  };
}

/** What the story printed at its latest revision, or now when it has none yet (a story older than revisions). */
export async function latestPrintedStory(tx: Transaction, storyId: string): Promise<PrintedStory> {
  return (await latestPrintedStories(tx, [storyId])).get(storyId)!;
}

/** latestPrintedStory of each of the stories, by id: one statement, and one more only if some have no revision yet. */
export async function latestPrintedStories(tx: Transaction, storyIds: string[]): Promise<Map<string, PrintedStory>> {
  if (storyIds.length === 0) return new Map();
  const latest = await tx.$queryRaw<{ story_id: string; content: PrintedStory }[]>`
    SELECT DISTINCT ON (story_id) story_id::text AS story_id, content FROM story_revisions
     WHERE story_id IN (${Prisma.join(storyIds.map((id) => Prisma.sql`${id}::uuid`))}) ORDER BY story_id, version DESC`;
  const printed = new Map(latest.map((row) => [row.story_id, row.content]));
  const withoutRevision = storyIds.filter((id) => !printed.has(id));
  if (withoutRevision.length > 0) for (const [id, now] of await printedStoriesOf(tx, withoutRevision)) printed.set(id, now);
  return printed;
}

export interface RevisionToWrite {
  storyId: string;
  version: number;
  action: StoryEventAction;
  authorId: string | null;
  content: PrintedStory;
  minorEditReason?: string | null;
}

export async function writeRevision(tx: Transaction, revision: RevisionToWrite): Promise<void> {
  await writeRevisions(tx, [revision]);
}

/** Writes the revisions in one statement, in order. */
export async function writeRevisions(tx: Transaction, revisions: RevisionToWrite[]): Promise<void> {
  if (revisions.length === 0) return;
  await tx.storyRevision.createMany({
    data: revisions.map((revision) => ({
      ...revision,
      content: revision.content as unknown as Prisma.InputJsonValue,
      minorEditReason: revision.minorEditReason ?? null,
    })),
  });
}

export type RevisionRecord = Omit<StoryRevision, "content"> & { content: PrintedStory };

const asRecord = (revision: StoryRevision): RevisionRecord => ({ ...revision, content: revision.content as unknown as PrintedStory });

const NEWEST_FIRST: KeysetOrder<"createdAt"> = {
  name: "NEWEST_FIRST",
  field: "createdAt",
  direction: "desc",
  nullable: false,
  isDate: true,
};

/** A story's revisions, newest first; staff only (null for the public, who read what is printed now). */
export async function revisionsOf(
  ctx: OperationContext,
  storyId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<RevisionRecord> | null> {
  const readable = readableRevisionsWhere(ctx.viewer);
  if (readable === null) return null;
  const where: Prisma.StoryRevisionWhereInput = { AND: [{ storyId }, readable] };
  const page = await keysetPage(
    NEWEST_FIRST,
    args,
    where,
    (query) => ctx.db.storyRevision.findMany(query as Prisma.StoryRevisionFindManyArgs),
    async () => ({ total: await ctx.db.storyRevision.count({ where }), exact: true }),
  );
  return { ...page, nodes: page.nodes.map(asRecord) };
}

export async function revisionOf(ctx: OperationContext, storyId: string, version: number): Promise<RevisionRecord | null> {
  const readable = readableRevisionsWhere(ctx.viewer);
  if (readable === null) return null;
  const revision = await ctx.db.storyRevision.findFirst({ where: { AND: [{ storyId, version }, readable] } });
  return revision && asRecord(revision);
}

export interface StoryDiff {
  storyId: string;
  fromVersion: number;
  toVersion: number;
  fields: FieldDiff[];
  paragraphs: ParagraphDiff[];
}

/** Compares two revisions of a story the viewer may read the revisions of. */
export async function storyDiff(ctx: OperationContext, storyId: string, fromVersion: number, toVersion: number): Promise<StoryDiff> {
  if (!isUuid(storyId) || !(await ctx.loaders.storyById.load(storyId))) throw notFound("Story", storyId, "id");
  const [from, to] = await Promise.all([revisionOf(ctx, storyId, fromVersion), revisionOf(ctx, storyId, toVersion)]);
  if (!from) throw badInput("fromVersion", `The story has no revision ${fromVersion}`);
  if (!to) throw badInput("toVersion", `The story has no revision ${toVersion}`);
  return {
    storyId,
    fromVersion,
    toVersion,
    fields: diffFields(from.content, to.content),
    paragraphs: diffParagraphs(from.content, to.content),
  };
}
