import type { Database, Transaction } from "../db/client.js";
import { containing } from "../db/filters.js";
import { badInput } from "../errors.js";
import { Prisma, type Attribution, type Paragraph, type Source, type Story } from "../generated/prisma/client.js";
import { type OperationContext } from "../context/operation-context.js";
import type { PlacementRow } from "../context/loaders.js";
import { readWithinTimeLimit } from "../db/transaction.js";
import { whereToSql } from "../db/where-sql.js";
import { isUuid } from "../db/ids.js";
import { ATTRIBUTION_ORDER, readableAttributionsOfStoryWhere } from "../attributions/attribution.rules.js";
import {
  cappedCount,
  decodeCursor,
  encodeCursor,
  keysetPage,
  pageSize,
  type KeysetOrder,
  type ListCount,
  type Page,
} from "../db/pagination.js";
import type { Viewer } from "../users/users.rules.js";
import { publishBlockers, publishFactsOf, readsPublishBlockers, type PublishBlocker } from "./publish.rules.js";
import {
  SLUG_MAX_LENGTH,
  embargoedPublishedWhere,
  listCountPlan,
  mayReadBody,
  printedParagraphs,
  readableBodyOfStoryWhere,
  readableKillNoticesWhere,
  readableStoriesSql,
  readableStoriesWhere,
  searchableDocumentSql,
  type ListCountPlan,
  type StoryStatus,
} from "./story.rules.js";

export type StoryOrderName = "PUBLISHED_AT_DESC" | "UPDATED_AT_DESC" | "CREATED_AT_DESC";

/**
 * Every order is read in the order of an index on (key, id) (prisma/schema.prisma); the published
 * order also by (status, key, id) for lists of one status, the public's included. Its undated rows
 * (stories never published) come last, as those indexes keep them (NULLS LAST).
 */
export const STORY_ORDERS: Record<StoryOrderName, KeysetOrder<"publishedAt" | "updatedAt" | "createdAt">> = {
  PUBLISHED_AT_DESC: { name: "PUBLISHED_AT_DESC", field: "publishedAt", direction: "desc", nullable: true, isDate: true },
  UPDATED_AT_DESC: { name: "UPDATED_AT_DESC", field: "updatedAt", direction: "desc", nullable: false, isDate: true },
  CREATED_AT_DESC: { name: "CREATED_AT_DESC", field: "createdAt", direction: "desc", nullable: false, isDate: true },
};

export interface StoryFilterData {
  status?: StoryStatus | null;
  /** Words that appear in the headline, summary or body, case-insensitively. */
  text?: string | null;
  sourceId?: string | null;
  dateline?: string | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

export interface ListStoriesArgs {
  first?: number | null;
  after?: string | null;
  filter?: StoryFilterData | null;
  orderBy?: StoryOrderName | null;
}

// ---------------------------------------------------------------- reads

/**
 * Which of its stories' relations a reader will read, so that they are loaded in the same
 * statement as the stories (Prisma's include, as LATERAL joins) instead of afterwards.
 */
export interface StoryReadPlan {
  paragraphs?: boolean;
  /** Every placement with its photo; with the paragraph each stands beside, if asked. */
  placements?: { paragraph: boolean };
  /** The lead placement alone, for a reader who wants it and not the others. */
  leadPlacement?: { paragraph: boolean };
  /** The attributions the viewer may read, with their sources and paragraphs if asked. */
  attributions?: { source: boolean; paragraph: boolean };
}

/** A placement with its photo, and the paragraph it stands beside when that was read with it. */
export type PlacementRecord = PlacementRow & { paragraph?: Paragraph | null };
export type AttributionRecord = Attribution & { source?: Source; paragraph?: Paragraph; story?: Story };

/**
 * A story as a read returns it: its row, and the relations its plan asked for. Field resolvers
 * use these when they are there, and the request's loaders otherwise.
 */
export type StoryRecord = Story & {
  paragraphs?: Paragraph[];
  placements?: PlacementRecord[];
  leadPlacement?: PlacementRecord | null;
  attributions?: AttributionRecord[];
};

/** What Prisma returns for storyInclude: a relation is there when the plan asked for it. */
type StoryRow = Story & { paragraphs?: Paragraph[]; photos?: PlacementRecord[]; attributions?: AttributionRecord[] };

/**
 * Of a story the viewer may read, every paragraph and placement is readable; attributions keep a
 * rule of their own. When the story's paragraphs are read, placements and attributions take
 * theirs from those (storyRecordOf) rather than having each paragraph built again in the JSON.
 */
function storyInclude(viewer: Viewer, plan: StoryReadPlan): Prisma.StoryInclude {
  const include: Prisma.StoryInclude = {};
  const withParagraph = (asked: boolean) => asked && !plan.paragraphs;
  if (plan.paragraphs) include.paragraphs = { orderBy: { position: "asc" } };
  const placements = plan.placements ?? plan.leadPlacement;
  if (placements) {
    include.photos = {
      ...(plan.placements ? {} : { where: { role: "LEAD" }, take: 1 }),
      orderBy: { position: "asc" },
      include: { photo: true, paragraph: withParagraph(placements.paragraph) },
    };
  }
  if (plan.attributions) {
    include.attributions = {
      where: readableAttributionsOfStoryWhere(viewer),
      orderBy: ATTRIBUTION_ORDER,
      include: { source: plan.attributions.source, paragraph: withParagraph(plan.attributions.paragraph) },
    };
  }
  return include;
}

function storyRecordOf(viewer: Viewer, row: StoryRow, plan: StoryReadPlan): StoryRecord {
  const { paragraphs, photos, attributions, ...story } = row;
  // The body of a retracted story was read with it, but is not the public's to read.
  if (!mayReadBody(viewer, story)) {
    return {
      ...story,
      ...(paragraphs && { paragraphs: [] }),
      ...(photos && (plan.placements ? { placements: [] } : { leadPlacement: null })),
      ...(attributions && { attributions: [] }),
    };
  }
  const paragraphById = new Map(paragraphs?.map((paragraph) => [paragraph.id, paragraph]));
  const placed = photos?.map((placement) =>
    paragraphs && placement.paragraphId !== null ? { ...placement, paragraph: paragraphById.get(placement.paragraphId) } : placement,
  );
  return {
    ...story,
    ...(paragraphs && { paragraphs }),
    ...(placed && (plan.placements ? { placements: placed } : { leadPlacement: placed[0] ?? null })),
    // The story was read under the viewer's rules, so each attribution's story is the one at hand.
    ...(attributions && {
      attributions: attributions.map((attribution) => ({
        ...attribution,
        story,
        paragraph: paragraphById.get(attribution.paragraphId) ?? attribution.paragraph,
      })),
    }),
  };
}

/** Reads stories with the relations the plan names, in one statement. */
async function readStories(ctx: OperationContext, query: Omit<Prisma.StoryFindManyArgs, "include">, plan: StoryReadPlan) {
  const rows = await ctx.db.story.findMany({ ...query, include: storyInclude(ctx.viewer, plan) });
  // Prisma types an include made at run time as if it loaded every relation; StoryRow says what it loads.
  return (rows as unknown as StoryRow[]).map((row) => storyRecordOf(ctx.viewer, row, plan));
}

export async function findStory(
  ctx: OperationContext,
  by: { id?: string | null; slug?: string | null },
  plan: StoryReadPlan = {},
): Promise<StoryRecord | null> {
  if ((by.id == null) === (by.slug == null)) throw badInput(by.id == null ? "id" : "slug", "Give either id or slug, not both or neither");
  if (by.slug != null && by.slug.length > SLUG_MAX_LENGTH) throw badInput("slug", `slug is at most ${SLUG_MAX_LENGTH} characters`);
  if (by.id != null && !isUuid(by.id)) return null;
  const where = { AND: [by.id != null ? { id: by.id } : { slug: by.slug! }, readableStoriesWhere(ctx.viewer)] };
  const [story] = await readStories(ctx, { where, take: 1 }, plan);
  return story ?? null;
}

/** What a list's filter asks beyond status, as conditions: none means that status alone limits the list. */
function narrowingConditions(ctx: OperationContext, filter: StoryFilterData | null | undefined): Prisma.StoryWhereInput[] {
  const where: Prisma.StoryWhereInput[] = [];
  if (filter?.dateline) where.push({ dateline: { equals: filter.dateline, mode: "insensitive" } });
  // What a story's body holds (its attributions, summary and paragraphs) finds it only for a reader of that body.
  const body = readableBodyOfStoryWhere(ctx.viewer);
  if (filter?.sourceId) {
    if (!isUuid(filter.sourceId)) throw badInput("filter.sourceId", "filter.sourceId is not a source id");
    where.push({ ...body, attributions: { some: { AND: [{ sourceId: filter.sourceId }, readableAttributionsOfStoryWhere(ctx.viewer)] } } });
  }
  if (filter?.publishedAfter) where.push({ publishedAt: { gte: filter.publishedAfter } });
  if (filter?.publishedBefore) where.push({ publishedAt: { lt: filter.publishedBefore } });
  const text = filter?.text?.trim();
  if (text) {
    const contains = containing(text);
    where.push({ OR: [{ headline: contains }, { ...body, OR: [{ summary: contains }, { paragraphs: { some: { text: contains } } }] }] });
  }
  return where;
}

/**
 * The length of a list limited by status alone, from the counts the database keeps per status,
 * less the few stories of those statuses the viewer may not read yet (embargoed, for the public,
 * counted in the partial index of them), in one statement.
 */
async function countByStatus(ctx: OperationContext, { statuses, heldBack }: ListCountPlan): Promise<ListCount> {
  const counted = statuses.length ? Prisma.sql`status::text IN (${Prisma.join(statuses)})` : Prisma.sql`FALSE`;
  const held = heldBack ? Prisma.sql`(SELECT count(*) FROM stories s WHERE ${whereToSql(heldBack, "s")})` : Prisma.sql`0`;
  const [row] = await ctx.db.$queryRaw<{ total: number }[]>`
    SELECT (COALESCE((SELECT sum(count) FROM story_counts WHERE ${counted}), 0) - ${held})::int AS total`;
  return { total: row?.total ?? 0, exact: true };
}

/**
 * A list limited by status alone (the front page, the desk's lists by status) is counted exactly
 * from the counts kept per status; a list filtered by anything else, up to COUNT_CAP.
 */
export async function listStories(ctx: OperationContext, args: ListStoriesArgs, plan: StoryReadPlan = {}): Promise<Page<StoryRecord>> {
  const status = args.filter?.status;
  const narrowing = narrowingConditions(ctx, args.filter);
  const now = new Date();
  const where: Prisma.StoryWhereInput = { AND: [readableStoriesWhere(ctx.viewer, now), ...(status ? [{ status }] : []), ...narrowing] };
  const counted = narrowing.length === 0 ? listCountPlan(ctx.viewer, status, now) : null;
  return keysetPage(
    STORY_ORDERS[args.orderBy ?? "PUBLISHED_AT_DESC"],
    args,
    where,
    (query) => readStories(ctx, query as Prisma.StoryFindManyArgs, plan),
    () => (counted ? countByStatus(ctx, counted) : cappedCount((limit) => ctx.db.story.count({ where, take: limit }))),
  );
}

const SEARCH_ORDER = "RELEVANCE";
export const SEARCH_QUERY_MAX_LENGTH = 500;

/**
 * A rank as ts_rank_cd gives it: a real (float4), never below zero. A cursor's rank is compared as
 * a real, so a forged one that a real cannot hold (1e308, or 1e-60, which underflows) would fail
 * in SQL; Math.fround rounds as PostgreSQL's float4 input does.
 */
function isSearchRank(value: unknown): value is number {
  if (typeof value !== "number" || !(value >= 0)) return false;
  const asReal = Math.fround(value);
  return Number.isFinite(asReal) && (asReal !== 0 || value === 0);
}

/**
 * A search ranks at most this many stories, the most recent that match: ranking every match of
 * a word in most stories costs seconds at a million stories, and nobody pages that far.
 */
export const SEARCH_CANDIDATES = 1_000;
/**
 * How long PostgreSQL may run one statement of a search. The candidates bound what a search ranks,
 * but a few queries still make it read most stories to find them: a phrase that never occurs of
 * two words that often do, or a word that always comes with the word it excludes (about a second
 * at a million stories). Those are stopped here and refused. PGlite has no statement timer.
 */
export const SEARCH_TIME_LIMIT_MS = 1_000;

const searchTooBroad = () =>
  badInput(
    "query",
    `The search took longer than ${SEARCH_TIME_LIMIT_MS / 1000} s and was stopped: search for rarer words, or with fewer quoted phrases and excluded words`,
    { reason: "SEARCH_TOO_BROAD" },
  );

/**
 * Ranked full-text search over headline, summary and body (weighted in that order), among the
 * SEARCH_CANDIDATES most recent matches: for the public the most recently published, read in the
 * front page's index order; for staff the most recently created. Pages continue by (rank, id)
 * within those candidates.
 */
export async function searchStories(
  ctx: OperationContext,
  args: { query: string; first?: number | null; after?: string | null },
  plan: StoryReadPlan = {},
): Promise<Page<StoryRecord>> {
  const query = args.query.trim();
  if (query === "") throw badInput("query", "query needs at least one word");
  if (query.length > SEARCH_QUERY_MAX_LENGTH) throw badInput("query", `query is at most ${SEARCH_QUERY_MAX_LENGTH} characters`);
  const first = pageSize(args.first);
  const cursor = args.after ? decodeCursor(args.after, SEARCH_ORDER) : undefined;
  if (cursor && !isSearchRank(cursor.value)) throw badInput("after", "after is not a cursor from this list");
  // The query is written out where it is used, not joined as a function in FROM, so that the
  // planner sees its words and can tell a rare word (read from the GIN index) from a common one
  // (read in recency order until enough match).
  const tsquery = Prisma.sql`websearch_to_tsquery('english', ${query})`;
  // The whole document's match is what the GIN index answers; a reader of a story's headline alone
  // (a retraction, for the public) must match that too.
  const document = searchableDocumentSql(ctx.viewer, "s");
  const matchesDocument = ctx.viewer ? Prisma.empty : Prisma.sql`AND ${document} @@ ${tsquery}`;
  const matches = Prisma.sql`FROM stories s WHERE s.search_vector @@ ${tsquery} ${matchesDocument} AND ${readableStoriesSql(ctx.viewer, "s")}`;
  const recency = ctx.viewer ? Prisma.sql`s.created_at DESC, s.id DESC` : Prisma.sql`s.published_at DESC NULLS LAST, s.id DESC`;
  const afterCursor = cursor ? Prisma.sql`WHERE (ranked.rank, ranked.id) < (${cursor.value}::real, ${cursor.id}::uuid)` : Prisma.empty;
  const search = <T>(work: (tx: Transaction) => Promise<T>) => readWithinTimeLimit(ctx, SEARCH_TIME_LIMIT_MS, work, searchTooBroad);
  const fetchRanked = async (take: number) => {
    // Only the ranking runs under the time limit; the stories it names are then read with what
    // the query selected, as any list is.
    const ranked = await search(
      (tx) => tx.$queryRaw<{ id: string; rank: number }[]>`
        SELECT ranked.id::text AS id, ranked.rank FROM (
          SELECT c.id, ts_rank_cd(c.document, ${tsquery}) AS rank
            FROM (SELECT s.id, ${document} AS document ${matches} ORDER BY ${recency} LIMIT ${SEARCH_CANDIDATES}) c
        ) ranked ${afterCursor}
        ORDER BY ranked.rank DESC, ranked.id DESC LIMIT ${take}`,
    );
    const stories = await readStories(ctx, { where: { id: { in: ranked.map((r) => r.id) } } }, plan);
    const byId = new Map(stories.map((story) => [story.id, story]));
    return ranked.flatMap((r) => {
      const story = byId.get(r.id);
      return story ? [{ ...story, rank: Number(r.rank) }] : [];
    });
  };
  const countMatches = () =>
    search((tx) =>
      cappedCount(async (limit) => {
        const [row] = await tx.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM (SELECT 1 ${matches} LIMIT ${limit}) c`;
        return row?.count ?? 0;
      }, SEARCH_CANDIDATES),
    );
  const rows = first === 0 ? [] : await fetchRanked(first + 1);
  const nodes = rows.slice(0, first);
  return {
    nodes,
    cursors: nodes.map((row) => encodeCursor({ order: SEARCH_ORDER, value: row.rank, id: row.id })),
    hasNextPage: rows.length > first,
    count: countMatches,
  };
}

/**
 * When the next embargo of a published story lifts after `after`, or null when none does: until
 * then the public's lists and searches stay as they are unless a write changes them. Read from the
 * partial index of embargoed published stories, on the primary (it follows a change just heard of).
 */
export async function nextEmbargoLift(db: Database, after: Date): Promise<Date | null> {
  const { _min } = await db.story.aggregate({ where: embargoedPublishedWhere(after), _min: { embargoedUntil: true } });
  return _min.embargoedUntil;
}

export interface KillNotice {
  slug: string;
  killedAt: Date;
  notice: string;
}

/** What the public reads in place of a killed story: never its headline or body, only that it was killed, when, and why. */
export async function findKillNotice(ctx: OperationContext, slug: string): Promise<KillNotice | null> {
  if (slug.length > SLUG_MAX_LENGTH) throw badInput("slug", `slug is at most ${SLUG_MAX_LENGTH} characters`);
  const story = await ctx.db.story.findFirst({
    where: { AND: [{ slug }, readableKillNoticesWhere(ctx.viewer)] },
    select: { slug: true, killedAt: true, killNotice: true },
  });
  if (!story?.killedAt || story.killNotice === null) return null;
  return { slug: story.slug, killedAt: story.killedAt, notice: story.killNotice };
}

/** The summary is part of the body: a retraction takes it from the public with the paragraphs. */
export function summaryOf(ctx: OperationContext, story: Story): string | null {
  return mayReadBody(ctx.viewer, story) ? story.summary : null;
}

export async function paragraphsOf(ctx: OperationContext, story: StoryRecord): Promise<Paragraph[]> {
  return story.paragraphs ?? ctx.loaders.paragraphsByStory.load(story.id);
}

export async function attributionsOf(ctx: OperationContext, story: StoryRecord): Promise<AttributionRecord[]> {
  return story.attributions ?? ctx.loaders.attributionsByStory.load(story.id);
}

/** The body as plain text, with the dateline printed where wire copy puts it: before the lede. */
export async function bodyTextOf(ctx: OperationContext, story: StoryRecord): Promise<string> {
  return printedParagraphs(story, await paragraphsOf(ctx, story)).join("\n\n");
}

/** What stops the story being published now, for the desk; null for the public. */
export async function publishBlockersOf(ctx: OperationContext, storyId: string): Promise<PublishBlocker[] | null> {
  if (!readsPublishBlockers(ctx.viewer)) return null;
  const facts = await ctx.loaders.publishFactsByStory.load(storyId);
  return facts && publishBlockers(publishFactsOf(facts));
}
