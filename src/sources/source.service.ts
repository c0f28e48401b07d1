import type { Transaction } from "../db/client.js";
import { changeSharedContent } from "../stories/story-edit.js";
import { attributionsOf, type StoryRecord } from "../stories/story.service.js";
import { badInput, forbidden, notFound } from "../errors.js";
import type { Prisma, Source, SourceKind, SourcingTerms } from "../generated/prisma/client.js";
import { type OperationContext } from "../context/operation-context.js";
import { inTransaction } from "../db/transaction.js";
import { isUuid } from "../db/ids.js";
import { cappedCount, DEFAULT_NESTED_SIZE, keysetPage, pageSize, type KeysetOrder, type Page } from "../db/pagination.js";
import { hasRole, requireStaff, type Staff, type Viewer } from "../users/users.rules.js";
import {
  assertAnonymityApprovable,
  assertSourceConsistent,
  isAnonymousKind,
  publicView,
  readableIdentityKeepersWhere,
  readableSourcesWhere,
  sourcesNamedWhere,
  withdrawsAnonymityApproval,
} from "./source.rules.js";

export interface SourceFields {
  name?: string | null;
  kind?: SourceKind | null;
  title?: string | null;
  affiliation?: string | null;
  terms?: SourcingTerms | null;
  isAnonymous?: boolean | null;
  anonymousDescription?: string | null;
  anonymityReason?: string | null;
  identityKnownBy?: string[] | null;
}

export interface CreateSourceData extends SourceFields {
  name: string;
  kind: SourceKind;
}

export interface SourceFilterData {
  kind?: SourceKind | null;
  /** Part of the name, case-insensitive. */
  name?: string | null;
}

export type PresentedSource = Source & { isAnonymous: boolean };

/** What the viewer may see of a source: staff see it all, the public only what copy may print. */
export function presentSource(viewer: Viewer, source: Source): PresentedSource {
  const isAnonymous = isAnonymousKind(source.kind);
  return { ...(viewer ? source : publicView(source)), isAnonymous };
}

const BY_NAME: KeysetOrder<"name"> = { name: "NAME_ASC", field: "name", direction: "asc", nullable: false, isDate: false };
/**
 * The public's order. Sorting the public by name would put internal labels of anonymous sources
 * into cursors and let their position hint at them; first appearance in the newsroom gives away nothing.
 */
const BY_FIRST_SEEN: KeysetOrder<"createdAt"> = { name: "FIRST_SEEN", field: "createdAt", direction: "asc", nullable: false, isDate: true };

export async function findSource(ctx: OperationContext, id: string): Promise<PresentedSource | null> {
  if (!isUuid(id)) return null;
  const source = await ctx.db.source.findFirst({ where: { AND: [{ id }, readableSourcesWhere(ctx.viewer)] } });
  return source && presentSource(ctx.viewer, source);
}

export async function listSources(
  ctx: OperationContext,
  args: { first?: number | null; after?: string | null; filter?: SourceFilterData | null },
): Promise<Page<PresentedSource>> {
  const filters: Prisma.SourceWhereInput[] = [readableSourcesWhere(ctx.viewer)];
  if (args.filter?.kind) filters.push({ kind: args.filter.kind });
  const name = args.filter?.name?.trim();
  if (name) filters.push(sourcesNamedWhere(ctx.viewer, name));
  const where: Prisma.SourceWhereInput = { AND: filters };
  const order: KeysetOrder<"name" | "createdAt"> = ctx.viewer ? BY_NAME : BY_FIRST_SEEN;
  const page = await keysetPage(
    order,
    args,
    where,
    (query) => ctx.db.source.findMany(query as Prisma.SourceFindManyArgs),
    () => cappedCount((limit) => ctx.db.source.count({ where, take: limit })),
  );
  return { ...page, nodes: page.nodes.map((source) => presentSource(ctx.viewer, source)) };
}

/** Every source a story attributes something to (that the viewer may read), in order of first appearance. */
export async function sourcesOfStory(ctx: OperationContext, story: StoryRecord): Promise<PresentedSource[]> {
  const attributions = await attributionsOf(ctx, story);
  const firstOfEach = [...new Map(attributions.map((a) => [a.sourceId, a])).values()];
  const sources = await Promise.all(firstOfEach.map((a) => a.source ?? ctx.loaders.sourceById.load(a.sourceId)));
  return sources.flatMap((source) => (source ? [presentSource(ctx.viewer, source)] : []));
}

export async function attributionsOfSource(ctx: OperationContext, sourceId: string, first?: number | null) {
  const limit = pageSize(first, "first", DEFAULT_NESTED_SIZE);
  return (await ctx.loaders.attributionsBySource.load(sourceId)).slice(0, limit);
}

function sourceData(input: SourceFields) {
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null);
  return {
    ...(input.name != null ? { name: input.name.trim() } : {}),
    ...(input.kind != null ? { kind: input.kind } : {}),
    ...(input.terms != null ? { terms: input.terms } : {}),
    title: text(input.title),
    affiliation: text(input.affiliation),
    anonymousDescription: text(input.anonymousDescription),
    anonymityReason: text(input.anonymityReason),
  };
}

/**
 * Replaces the staff who know an anonymous source's identity. Only anonymous sources have a
 * secret to keep, and each keeper must be a user.
 */
async function setIdentityKeepers(tx: Transaction, sourceId: string, kind: SourceKind, userIds: string[]): Promise<void> {
  const ids = [...new Set(userIds)];
  if (ids.length > 0 && !isAnonymousKind(kind)) {
    throw badInput("input.identityKnownBy", "Only an ANONYMOUS source has staff who know its identity");
  }
  const unknown = ids.filter((id) => !isUuid(id));
  const found = await tx.user.findMany({ where: { id: { in: ids.filter(isUuid) } }, select: { id: true } });
  if (unknown.length > 0 || found.length !== ids.length) {
    throw badInput("input.identityKnownBy", "identityKnownBy names a user that does not exist");
  }
  await tx.sourceIdentityKeeper.deleteMany({ where: { sourceId } });
  await tx.sourceIdentityKeeper.createMany({ data: ids.map((userId) => ({ sourceId, userId })) });
}

export async function createSource(ctx: OperationContext, input: CreateSourceData): Promise<PresentedSource> {
  if (input.name.trim() === "") throw badInput("input.name", "A source needs a name");
  assertSourceConsistent(input, input.isAnonymous, "input");
  const source = await inTransaction(ctx, async (tx) => {
    const created = await tx.source.create({ data: { ...sourceData(input), name: input.name.trim(), kind: input.kind } });
    if (input.identityKnownBy) await setIdentityKeepers(tx, created.id, created.kind, input.identityKnownBy);
    return created;
  });
  return presentSource(ctx.viewer, source);
}

/** Null for the public, who never learn who knows a source's identity. */
export async function identityKeepersOf(ctx: OperationContext, sourceId: string) {
  if (readableIdentityKeepersWhere(ctx.viewer) === null) return null;
  return ctx.loaders.identityKeepersBySource.load(sourceId);
}

/** Locks a source's row for the rest of the transaction, so two edits of it cannot interleave. */
async function lockSource(tx: Transaction, id: string, field: string): Promise<Source> {
  if (!isUuid(id)) throw notFound("Source", id, field);
  await tx.$executeRaw`SELECT 1 FROM sources WHERE id = ${id}::uuid FOR UPDATE`;
  const source = await tx.source.findUnique({ where: { id } });
  if (!source) throw notFound("Source", id, field);
  return source;
}

/**
 * A source quoted in someone else's story, or in copy past the draft stage, is the desk's: a
 * reporter changing it would change published or reviewed copy behind the editor's back.
 */
async function assertMayChangeSource(tx: Transaction, staff: Staff, sourceId: string): Promise<void> {
  if (hasRole(staff, "EDITOR")) return;
  const elsewhere = await tx.attribution.count({
    where: { sourceId, story: { OR: [{ status: { not: "DRAFT" } }, { authorId: { not: staff.id } }, { authorId: null }] } },
  });
  if (elsewhere > 0) throw forbidden("This source is quoted in stories beyond your own drafts; ask an editor to change it");
}

/**
 * A source shows in every story that attributes something to it, so a change to the source is a
 * change to each of those stories: locked, with a new version and revision. It changes no printed
 * words (the copy names its speakers itself), so it needs no correction note.
 */
async function changeStoriesQuoting<Result>(
  tx: Transaction,
  sourceIds: string[],
  actorId: string,
  action: "SOURCE_UPDATED" | "SOURCE_MERGED" | "SOURCE_ANONYMITY_APPROVED",
  work: () => Promise<Result>,
): Promise<Result> {
  const stories = await tx.story.findMany({ where: { attributions: { some: { sourceId: { in: sourceIds } } } }, select: { id: true } });
  return changeSharedContent(tx, { actorId, storyIds: stories.map((story) => story.id), action, authorize: () => {} }, work);
}

export async function updateSource(ctx: OperationContext, id: string, input: SourceFields): Promise<PresentedSource> {
  const staff = requireStaff(ctx.viewer);
  if (input.name != null && input.name.trim() === "") throw badInput("input.name", "A source needs a name");
  const source = await inTransaction(ctx, async (tx) => {
    const current = await lockSource(tx, id, "id");
    await assertMayChangeSource(tx, staff, id);
    const data = sourceData(input);
    const next = {
      kind: data.kind ?? current.kind,
      terms: data.terms ?? current.terms,
      anonymousDescription: data.anonymousDescription === undefined ? current.anonymousDescription : data.anonymousDescription,
      anonymityReason: data.anonymityReason === undefined ? current.anonymityReason : data.anonymityReason,
    };
    assertSourceConsistent(next, input.isAnonymous, "input");
    const withdrawal =
      current.anonymityApprovedAt !== null && withdrawsAnonymityApproval(current, next)
        ? { anonymityApprovedAt: null, anonymityApprovedById: null }
        : {};
    return changeStoriesQuoting(tx, [id], staff.id, "SOURCE_UPDATED", async () => {
      const updated = await tx.source.update({ where: { id }, data: { ...data, ...withdrawal } });
      if (input.identityKnownBy) await setIdentityKeepers(tx, id, updated.kind, input.identityKnownBy);
      else if (!isAnonymousKind(updated.kind)) await tx.sourceIdentityKeeper.deleteMany({ where: { sourceId: id } });
      return updated;
    });
  });
  return presentSource(ctx.viewer, source);
}

/**
 * An editor approves an anonymous source's anonymity, as AP requires before a story relying on
 * it is published, recording who and when. The approval prints nothing, but it decides whether
 * the stories quoting the source may go out, so each of them is locked and records it (an event,
 * a version), as any change to a shared source. Approving an approved source changes nothing.
 */
export async function approveAnonymousSource(ctx: OperationContext, id: string): Promise<PresentedSource> {
  const editor = requireStaff(ctx.viewer);
  const source = await inTransaction(ctx, async (tx) => {
    const current = await lockSource(tx, id, "id");
    assertAnonymityApprovable(current);
    if (current.anonymityApprovedAt !== null) return current;
    return changeStoriesQuoting(tx, [id], editor.id, "SOURCE_ANONYMITY_APPROVED", () =>
      tx.source.update({ where: { id }, data: { anonymityApprovedAt: new Date(), anonymityApprovedById: editor.id } }),
    );
  });
  return presentSource(ctx.viewer, source);
}

/** Who approved a source's anonymity: staff only, and null for the seed, which records no user. */
export async function anonymityApproverOf(ctx: OperationContext, source: { anonymityApprovedById: string | null }) {
  return ctx.viewer && source.anonymityApprovedById ? ctx.loaders.userById.load(source.anonymityApprovedById) : null;
}

/**
 * Folds a duplicate into the source to keep: its attributions and the staff who know its
 * identity move over, then the duplicate is deleted. Editors only, since it rewrites sourcing
 * across stories; and never across anonymity, which would print a protected source's quotes
 * under a name, or hide a named one.
 */
export async function mergeSources(ctx: OperationContext, input: { keepId: string; mergeId: string }): Promise<PresentedSource> {
  const editor = requireStaff(ctx.viewer);
  if (input.keepId === input.mergeId) throw badInput("input.mergeId", "A source cannot be merged into itself");
  const kept = await inTransaction(ctx, async (tx) => {
    // Locked in id order, so two merges of the same pair cannot deadlock.
    const [first, second] = [input.keepId, input.mergeId].sort();
    const locked = new Map<string, Source>();
    for (const id of [first!, second!]) locked.set(id, await lockSource(tx, id, id === input.keepId ? "input.keepId" : "input.mergeId"));
    const keep = locked.get(input.keepId)!;
    const merge = locked.get(input.mergeId)!;
    if (isAnonymousKind(keep.kind) !== isAnonymousKind(merge.kind)) {
      throw badInput("input.mergeId", "An anonymous source can only be merged with another anonymous source");
    }
    return changeStoriesQuoting(tx, [merge.id], editor.id, "SOURCE_MERGED", async () => {
      await tx.attribution.updateMany({ where: { sourceId: merge.id }, data: { sourceId: keep.id } });
      const keepers = await tx.sourceIdentityKeeper.findMany({ where: { sourceId: merge.id } });
      if (keepers.length > 0) {
        await tx.sourceIdentityKeeper.createMany({
          data: keepers.map((k) => ({ sourceId: keep.id, userId: k.userId })),
          skipDuplicates: true,
        });
      }
      await tx.source.delete({ where: { id: merge.id } });
      return keep;
    });
  });
  return presentSource(ctx.viewer, kept);
}
