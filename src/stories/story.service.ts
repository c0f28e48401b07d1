import slugify from "@sindresorhus/slugify";
import type { Transaction } from "../db/client.js";
import { containing } from "../db/filters.js";
import { badInput, conflict, notFound } from "../errors.js";
import { Prisma, type Attribution, type Paragraph, type Source, type Story } from "../generated/prisma/client.js";
import { LIMITS } from "../db/column-limits.js";
import { type OperationContext } from "../context/operation-context.js";
import type { PlacementRow } from "../context/loaders.js";
import { inTransaction, readWithinTimeLimit } from "../db/transaction.js";
import { isUuid } from "../db/ids.js";
import { assertAttributionFits, ATTRIBUTION_ORDER, readableAttributionsOfStoryWhere } from "../attributions/attribution.rules.js";
import {
  cappedCount,
  DEFAULT_NESTED_SIZE,
  decodeCursor,
  encodeCursor,
  keysetPage,
  pageSize,
  type KeysetOrder,
  type ListCount,
  type Page,
} from "../db/pagination.js";
import { requireStaff, type Viewer } from "../users/users.rules.js";
import {
  assertPublishable,
  assertValidSlug,
  SLUG_MAX_LENGTH,
  authorizeDelete,
  authorizeEdit,
  authorizeTransition,
  checkVersion,
  WORKFLOW,
  listedStatuses,
  nextFreeSlug,
  readableHistoryWhere,
  readableStoriesSql,
  readableStoriesWhere,
  reorder,
  type StoryAccessFacts,
  type StoryStatus,
  type WorkflowAction,
} from "./story.rules.js";

export interface StoryFields {
  headline?: string | null;
  slug?: string | null;
  summary?: string | null;
  dateline?: string | null;
  credit?: string | null;
  /** The whole body, one string a paragraph. */
  paragraphs?: string[] | null;
}
export interface CreateStoryData extends StoryFields {
  headline: string;
}

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

function storyRecordOf(row: StoryRow, plan: StoryReadPlan): StoryRecord {
  const { paragraphs, photos, attributions, ...story } = row;
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
  return (rows as unknown as StoryRow[]).map((row) => storyRecordOf(row, plan));
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
  if (filter?.sourceId) {
    if (!isUuid(filter.sourceId)) throw badInput("filter.sourceId", "filter.sourceId is not a source id");
    where.push({ attributions: { some: { AND: [{ sourceId: filter.sourceId }, readableAttributionsOfStoryWhere(ctx.viewer)] } } });
  }
  if (filter?.publishedAfter) where.push({ publishedAt: { gte: filter.publishedAfter } });
  if (filter?.publishedBefore) where.push({ publishedAt: { lt: filter.publishedBefore } });
  const text = filter?.text?.trim();
  if (text) {
    const contains = containing(text);
    where.push({ OR: [{ headline: contains }, { summary: contains }, { paragraphs: { some: { text: contains } } }] });
  }
  return where;
}

/** The length of a list of these statuses, from the counts the database keeps per status. */
async function countByStatus(ctx: OperationContext, statuses: StoryStatus[]): Promise<ListCount> {
  const { _sum } = await ctx.db.storyCount.aggregate({ where: { status: { in: statuses } }, _sum: { count: true } });
  return { total: _sum.count ?? 0, exact: true };
}

/**
 * A list limited by status alone (the front page, the desk's lists by status) is counted exactly
 * from the counts kept per status; a list filtered by anything else, up to COUNT_CAP.
 */
export async function listStories(ctx: OperationContext, args: ListStoriesArgs, plan: StoryReadPlan = {}): Promise<Page<StoryRecord>> {
  const status = args.filter?.status;
  const narrowing = narrowingConditions(ctx, args.filter);
  const where: Prisma.StoryWhereInput = { AND: [readableStoriesWhere(ctx.viewer), ...(status ? [{ status }] : []), ...narrowing] };
  const statuses = narrowing.length === 0 ? listedStatuses(ctx.viewer, status) : null;
  return keysetPage(
    STORY_ORDERS[args.orderBy ?? "PUBLISHED_AT_DESC"],
    args,
    where,
    (query) => readStories(ctx, query as Prisma.StoryFindManyArgs, plan),
    () => (statuses ? countByStatus(ctx, statuses) : cappedCount((limit) => ctx.db.story.count({ where, take: limit }))),
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
  const matches = Prisma.sql`FROM stories s WHERE s.search_vector @@ ${tsquery} AND ${readableStoriesSql(ctx.viewer, "s")}`;
  const recency = ctx.viewer ? Prisma.sql`s.created_at DESC, s.id DESC` : Prisma.sql`s.published_at DESC NULLS LAST, s.id DESC`;
  const afterCursor = cursor ? Prisma.sql`WHERE (ranked.rank, ranked.id) < (${cursor.value}::real, ${cursor.id}::uuid)` : Prisma.empty;
  const search = <T>(work: (tx: Transaction) => Promise<T>) => readWithinTimeLimit(ctx, SEARCH_TIME_LIMIT_MS, work, searchTooBroad);
  const fetchRanked = async (take: number) => {
    // Only the ranking runs under the time limit; the stories it names are then read with what
    // the query selected, as any list is.
    const ranked = await search(
      (tx) => tx.$queryRaw<{ id: string; rank: number }[]>`
        SELECT ranked.id::text AS id, ranked.rank FROM (
          SELECT c.id, ts_rank_cd(c.search_vector, ${tsquery}) AS rank
            FROM (SELECT s.id, s.search_vector ${matches} ORDER BY ${recency} LIMIT ${SEARCH_CANDIDATES}) c
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

export async function paragraphsOf(ctx: OperationContext, story: StoryRecord): Promise<Paragraph[]> {
  return story.paragraphs ?? ctx.loaders.paragraphsByStory.load(story.id);
}

export async function attributionsOf(ctx: OperationContext, story: StoryRecord): Promise<AttributionRecord[]> {
  return story.attributions ?? ctx.loaders.attributionsByStory.load(story.id);
}

/** The body as plain text, with the dateline printed where wire copy puts it: before the lede. */
export async function bodyTextOf(ctx: OperationContext, story: StoryRecord): Promise<string> {
  const paragraphs = (await paragraphsOf(ctx, story)).map((p) => p.text);
  if (paragraphs.length > 0 && story.dateline) {
    const credit = story.credit ? ` (${story.credit})` : "";
    paragraphs[0] = `${story.dateline}${credit} — ${paragraphs[0]}`;
  }
  return paragraphs.join("\n\n");
}

// ---------------------------------------------------------------- writes

const PARAGRAPH_MAX_LENGTH = LIMITS.paragraph;

function assertParagraphText(text: string, field: string): void {
  if (text.trim() === "") throw badInput(field, "A paragraph needs text");
  if (text.length > PARAGRAPH_MAX_LENGTH) throw badInput(field, `A paragraph is at most ${PARAGRAPH_MAX_LENGTH} characters`);
}

export async function freeSlugFor(tx: Transaction, headline: string): Promise<string> {
  const base = slugify(headline).slice(0, 120).replace(/-+$/, "") || "story";
  const taken = await tx.story.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
  return nextFreeSlug(base, new Set(taken.map((s) => s.slug)));
}

async function assertSlugFree(tx: Transaction, slug: string, field: string, exceptId?: string): Promise<void> {
  const holder = await tx.story.findUnique({ where: { slug }, select: { id: true } });
  if (holder && holder.id !== exceptId) throw conflict(`The slug "${slug}" is already used by another story`, field);
}

function scalarFields(input: StoryFields) {
  const optional = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);
  return {
    ...(input.headline != null ? { headline: input.headline.trim() } : {}),
    summary: optional(input.summary),
    dateline: optional(input.dateline),
    credit: optional(input.credit),
  };
}

export async function createStory(ctx: OperationContext, input: CreateStoryData): Promise<Story> {
  const author = requireStaff(ctx.viewer);
  if (input.headline.trim() === "") throw badInput("input.headline", "A story needs a headline");
  const paragraphs = input.paragraphs ?? [];
  paragraphs.forEach((text, i) => assertParagraphText(text, `input.paragraphs[${i}]`));
  if (input.slug != null) assertValidSlug(input.slug, "input.slug");
  return inTransaction(ctx, async (tx) => {
    if (input.slug != null) await assertSlugFree(tx, input.slug, "input.slug");
    const slug = input.slug ?? (await freeSlugFor(tx, input.headline));
    const story = await tx.story.create({
      data: {
        ...scalarFields(input),
        headline: input.headline.trim(),
        slug,
        authorId: author.id,
        paragraphs: { create: paragraphs.map((text, position) => ({ text, position })) },
      },
    });
    await recordEvent(tx, author.id, story, "CREATED", null);
    return story;
  });
}

export async function lockStory(tx: Transaction, storyId: string, field: string): Promise<StoryAccessFacts & { version: number }> {
  if (!isUuid(storyId)) throw notFound("Story", storyId, field);
  const [row] = await tx.$queryRaw<{ id: string; status: StoryStatus; author_id: string | null; version: number }[]>`
    SELECT id::text AS id, status::text AS status, author_id::text AS author_id, version
      FROM stories WHERE id = ${storyId}::uuid FOR UPDATE`;
  if (!row) throw notFound("Story", storyId, field);
  return { id: row.id, status: row.status, authorId: row.author_id, version: row.version };
}

/**
 * The one path for changing a story: lock its row, check who may do it and that they saw the
 * latest version, do the work, and bump the version, all in one transaction. Two editors saving
 * at once are serialised by the row lock, and the second one is told the story moved on.
 */
export async function editStory<Authorized>(
  ctx: OperationContext,
  target: { storyId: string; expectedVersion: number; storyField?: string; event: string },
  authorize: (story: StoryAccessFacts) => Authorized,
  work: (tx: Transaction, story: StoryAccessFacts, authorized: Authorized) => Promise<Prisma.StoryUpdateInput | void>,
): Promise<Story> {
  return inTransaction(ctx, async (tx) => {
    const story = await lockStory(tx, target.storyId, target.storyField ?? "id");
    const authorized = authorize(story);
    checkVersion(story.version, target.expectedVersion);
    const changes = (await work(tx, story, authorized)) ?? {};
    const updated = await tx.story.update({ where: { id: story.id }, data: { ...changes, version: { increment: 1 } } });
    await recordEvent(tx, ctx.viewer?.id ?? null, updated, target.event, story.status);
    return updated;
  });
}

/** Appends to the audit trail inside the change's own transaction: no change without its record. */
export async function recordEvent(
  tx: Transaction,
  actorId: string | null,
  story: Pick<Story, "id" | "version" | "status">,
  action: string,
  fromStatus: StoryStatus | null,
): Promise<void> {
  await tx.storyEvent.create({ data: { storyId: story.id, actorId, action, version: story.version, fromStatus, toStatus: story.status } });
}

/** Records one change that touched several stories without moving them (a shared photo or source). */
export async function recordOnStories(
  tx: Transaction,
  actorId: string,
  stories: Pick<Story, "id" | "version" | "status">[],
  action: string,
): Promise<void> {
  await tx.storyEvent.createMany({
    data: stories.map((story) => ({
      storyId: story.id,
      actorId,
      action,
      version: story.version,
      fromStatus: story.status,
      toStatus: story.status,
    })),
  });
}

/** Newest first, since a desk asks what just happened; cut at `first`. Null for a viewer who may read no history. */
export async function historyOf(ctx: OperationContext, storyId: string, first?: number | null) {
  if (readableHistoryWhere(ctx.viewer) === null) return null;
  const limit = pageSize(first, "first", DEFAULT_NESTED_SIZE);
  return (await ctx.loaders.eventsByStory.load(storyId)).slice(-limit).reverse();
}

export async function actorOfEvent(ctx: OperationContext, event: { actorId: string | null }) {
  return event.actorId === null ? null : ctx.loaders.userById.load(event.actorId);
}

/**
 * Replaces the body while keeping each paragraph's identity by position, so quotes and photos
 * anchored to an edited paragraph stay anchored. A removed paragraph that still anchors
 * attributions is refused rather than silently dropping them.
 */
async function replaceParagraphs(tx: Transaction, storyId: string, texts: string[], field: string): Promise<void> {
  texts.forEach((text, i) => assertParagraphText(text, `${field}[${i}]`));
  const existing = await tx.paragraph.findMany({
    where: { storyId },
    orderBy: { position: "asc" },
    include: { attributions: { select: { id: true, kind: true, quote: true } } },
  });
  existing.forEach((paragraph, i) => {
    if (i < texts.length) {
      for (const attribution of paragraph.attributions) assertAttributionFits(attribution, texts[i]!, `${field}[${i}]`);
    } else if (paragraph.attributions.length > 0) {
      throw conflict(
        `Paragraph ${i + 1} anchors ${paragraph.attributions.length} attribution(s); remove or move them before removing the paragraph`,
        field,
        { reason: "PARAGRAPH_HAS_ATTRIBUTIONS", paragraphId: paragraph.id },
      );
    }
  });
  const removed = existing.slice(texts.length).map((p) => p.id);
  if (removed.length > 0) await tx.paragraph.deleteMany({ where: { id: { in: removed } } });
  for (const [i, paragraph] of existing.slice(0, texts.length).entries()) {
    if (paragraph.text !== texts[i]) await tx.paragraph.update({ where: { id: paragraph.id }, data: { text: texts[i]! } });
  }
  const added = texts.slice(existing.length).map((text, i) => ({ storyId, text, position: existing.length + i }));
  if (added.length > 0) await tx.paragraph.createMany({ data: added });
}

export async function updateStory(ctx: OperationContext, id: string, expectedVersion: number, input: StoryFields): Promise<Story> {
  if (input.headline != null && input.headline.trim() === "") throw badInput("input.headline", "A story needs a headline");
  if (input.slug != null) assertValidSlug(input.slug, "input.slug");
  return editStory(
    ctx,
    { storyId: id, expectedVersion, event: "UPDATED" },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      if (input.slug != null) await assertSlugFree(tx, input.slug, "input.slug", story.id);
      if (input.paragraphs != null) await replaceParagraphs(tx, story.id, input.paragraphs, "input.paragraphs");
      return { ...scalarFields(input), ...(input.slug != null ? { slug: input.slug } : {}) };
    },
  );
}

export async function transitionStory(ctx: OperationContext, id: string, expectedVersion: number, action: WorkflowAction): Promise<Story> {
  return editStory(
    ctx,
    { storyId: id, expectedVersion, event: WORKFLOW[action].event },
    (story) => authorizeTransition(ctx.viewer, story, action),
    async (tx, story, next) => {
      if (next === "PUBLISHED") {
        const full = await tx.story.findUniqueOrThrow({
          where: { id: story.id },
          include: { paragraphs: true, photos: { include: { photo: true }, orderBy: { position: "asc" } } },
        });
        assertPublishable({
          headline: full.headline,
          paragraphs: full.paragraphs,
          photos: full.photos.map((p) => ({ position: p.position, caption: p.caption ?? p.photo.caption, credit: p.photo.credit })),
        });
        return { status: next, publishedAt: new Date() };
      }
      return { status: next, ...(story.status === "PUBLISHED" ? { publishedAt: null } : {}) };
    },
  );
}

export async function deleteStory(ctx: OperationContext, id: string, expectedVersion: number): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const story = await lockStory(tx, id, "id");
    authorizeDelete(ctx.viewer, story);
    checkVersion(story.version, expectedVersion);
    await tx.story.delete({ where: { id: story.id } });
    await recordEvent(tx, ctx.viewer?.id ?? null, { id: story.id, version: story.version, status: story.status }, "DELETED", story.status);
    return story.id;
  });
}

// ---------------------------------------------------------------- paragraphs

/**
 * Writes new positions for a story's paragraphs or photos. Positions are unique per story and
 * PostgreSQL checks that per row, so rows first move out of the way, then into place.
 */
export async function writePositions(
  tx: Transaction,
  table: "paragraphs" | "story_photos",
  storyId: string,
  orderedIds: string[],
): Promise<void> {
  if (orderedIds.length === 0) return;
  const tableSql = Prisma.raw(table);
  await tx.$executeRaw`UPDATE ${tableSql} SET position = position + 1000000 WHERE story_id = ${storyId}::uuid`;
  const rows = orderedIds.map((id, position) => Prisma.sql`(${id}::uuid, ${position}::int)`);
  await tx.$executeRaw`UPDATE ${tableSql} AS t SET position = v.position
    FROM (VALUES ${Prisma.join(rows)}) AS v(id, position) WHERE t.id = v.id`;
}

async function paragraphInStory(tx: Transaction, paragraphId: string, field: string) {
  const paragraph = isUuid(paragraphId)
    ? await tx.paragraph.findUnique({
        where: { id: paragraphId },
        include: { attributions: { select: { id: true, kind: true, quote: true } } },
      })
    : null;
  if (!paragraph) throw notFound("Paragraph", paragraphId, field);
  return paragraph;
}

async function storyIdOfParagraph(ctx: OperationContext, paragraphId: string, field: string): Promise<string> {
  const row = isUuid(paragraphId) ? await ctx.db.paragraph.findUnique({ where: { id: paragraphId }, select: { storyId: true } }) : null;
  if (!row) throw notFound("Paragraph", paragraphId, field);
  return row.storyId;
}

async function orderedParagraphIds(tx: Transaction, storyId: string): Promise<string[]> {
  const rows = await tx.paragraph.findMany({ where: { storyId }, orderBy: { position: "asc" }, select: { id: true } });
  return rows.map((row) => row.id);
}

export async function addParagraph(
  ctx: OperationContext,
  input: { storyId: string; expectedVersion: number; text: string; position?: number | null },
): Promise<Story> {
  assertParagraphText(input.text, "input.text");
  if (input.position != null && input.position < 0) throw badInput("input.position", "position counts from 0");
  return editStory(
    ctx,
    { storyId: input.storyId, expectedVersion: input.expectedVersion, storyField: "input.storyId", event: "PARAGRAPH_ADDED" },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const ids = await orderedParagraphIds(tx, story.id);
      const created = await tx.paragraph.create({ data: { storyId: story.id, text: input.text, position: -1 } });
      await writePositions(tx, "paragraphs", story.id, reorder([...ids, created.id], created.id, input.position ?? ids.length));
    },
  );
}

export async function updateParagraph(
  ctx: OperationContext,
  input: { paragraphId: string; expectedVersion: number; text: string },
): Promise<Story> {
  assertParagraphText(input.text, "input.text");
  const storyId = await storyIdOfParagraph(ctx, input.paragraphId, "input.paragraphId");
  return editStory(
    ctx,
    { storyId, expectedVersion: input.expectedVersion, event: "PARAGRAPH_EDITED" },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx) => {
      const paragraph = await paragraphInStory(tx, input.paragraphId, "input.paragraphId");
      for (const attribution of paragraph.attributions) assertAttributionFits(attribution, input.text, "input.text");
      await tx.paragraph.update({ where: { id: paragraph.id }, data: { text: input.text } });
    },
  );
}

export async function moveParagraph(
  ctx: OperationContext,
  input: { paragraphId: string; expectedVersion: number; toPosition: number },
): Promise<Story> {
  if (input.toPosition < 0) throw badInput("input.toPosition", "toPosition counts from 0");
  const storyId = await storyIdOfParagraph(ctx, input.paragraphId, "input.paragraphId");
  return editStory(
    ctx,
    { storyId, expectedVersion: input.expectedVersion, event: "PARAGRAPH_MOVED" },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const ids = await orderedParagraphIds(tx, story.id);
      if (!ids.includes(input.paragraphId)) throw notFound("Paragraph", input.paragraphId, "input.paragraphId");
      await writePositions(tx, "paragraphs", story.id, reorder(ids, input.paragraphId, input.toPosition));
    },
  );
}

export async function removeParagraph(ctx: OperationContext, input: { paragraphId: string; expectedVersion: number }): Promise<Story> {
  const storyId = await storyIdOfParagraph(ctx, input.paragraphId, "input.paragraphId");
  return editStory(
    ctx,
    { storyId, expectedVersion: input.expectedVersion, event: "PARAGRAPH_REMOVED" },
    (story) => authorizeEdit(ctx.viewer, story),
    async (tx, story) => {
      const paragraph = await paragraphInStory(tx, input.paragraphId, "input.paragraphId");
      if (paragraph.attributions.length > 0) {
        throw conflict(
          `The paragraph anchors ${paragraph.attributions.length} attribution(s); remove or move them first`,
          "input.paragraphId",
          { reason: "PARAGRAPH_HAS_ATTRIBUTIONS" },
        );
      }
      await tx.paragraph.delete({ where: { id: paragraph.id } });
      await writePositions(tx, "paragraphs", story.id, await orderedParagraphIds(tx, story.id));
    },
  );
}
