import type { Transaction } from "../db/client.js";
import { badInput, notFound } from "../errors.js";
import type { Prisma, Source, SourceKind, SourcingTerms } from "../generated/prisma/client.js";
import { inTransaction, isUuid, type OperationContext } from "../operation.js";
import { keysetPage, type KeysetOrder, type Page } from "../pagination.js";
import { requireRole, type Viewer } from "../users/users.rules.js";
import { assertSourceConsistent, isAnonymousKind, publicSourceName } from "./source.rules.js";

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

/** What the viewer may see of a source: the public never sees an anonymous source's label or the reason it was granted. */
export function presentSource(viewer: Viewer, source: Source): PresentedSource {
  const isAnonymous = isAnonymousKind(source.kind);
  if (viewer) return { ...source, isAnonymous };
  return { ...source, isAnonymous, name: publicSourceName(source), anonymityReason: null };
}

/** The public sees a source once something confirmed in a published story is attributed to it. */
function readableSourcesWhere(viewer: Viewer): Prisma.SourceWhereInput {
  return viewer ? {} : { attributions: { some: { confirmed: true, story: { status: "PUBLISHED" } } } };
}

const BY_NAME: KeysetOrder<"name"> = { name: "NAME_ASC", field: "name", direction: "asc", nullable: false, isDate: false };

export async function findSource(ctx: OperationContext, id: string): Promise<PresentedSource | null> {
  if (!isUuid(id)) return null;
  const source = await ctx.db.source.findFirst({ where: { id, ...readableSourcesWhere(ctx.viewer) } });
  return source && presentSource(ctx.viewer, source);
}

export async function listSources(
  ctx: OperationContext,
  args: { first?: number | null; after?: string | null; filter?: SourceFilterData | null },
): Promise<Page<PresentedSource>> {
  const filters: Prisma.SourceWhereInput[] = [readableSourcesWhere(ctx.viewer)];
  if (args.filter?.kind) filters.push({ kind: args.filter.kind });
  if (args.filter?.name?.trim()) filters.push({ name: { contains: args.filter.name.trim(), mode: "insensitive" } });
  const where: Prisma.SourceWhereInput = { AND: filters };
  const page = await keysetPage(
    BY_NAME,
    args,
    where,
    (query) => ctx.db.source.findMany(query as Prisma.SourceFindManyArgs),
    () => ctx.db.source.count({ where }),
  );
  return { ...page, nodes: page.nodes.map((source) => presentSource(ctx.viewer, source)) };
}

/** Every source a story attributes something to, in order of first appearance. */
export async function sourcesOfStory(ctx: OperationContext, storyId: string): Promise<PresentedSource[]> {
  const attributions = await ctx.loaders.attributionsByStory.load(storyId);
  const firstOfEach = [...new Map(attributions.map((a) => [a.sourceId, a.id])).values()];
  const sources = await Promise.all(firstOfEach.map((id) => ctx.db.attribution.findUniqueOrThrow({ where: { id } }).source()));
  return sources.map((source) => presentSource(ctx.viewer, source));
}

export function attributionsOfSource(ctx: OperationContext, sourceId: string) {
  return ctx.loaders.attributionsBySource.load(sourceId);
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
  requireRole(ctx.viewer, "REPORTER", "Creating a source");
  if (input.name.trim() === "") throw badInput("input.name", "A source needs a name");
  assertSourceConsistent(input, input.isAnonymous, "input");
  const source = await inTransaction(ctx, async (tx) => {
    const created = await tx.source.create({ data: { ...sourceData(input), name: input.name.trim(), kind: input.kind } });
    if (input.identityKnownBy) await setIdentityKeepers(tx, created.id, created.kind, input.identityKnownBy);
    return created;
  });
  return presentSource(ctx.viewer, source);
}

/** Staff only: the public never learns who knows a source's identity. */
export async function identityKeepersOf(ctx: OperationContext, sourceId: string) {
  if (!ctx.viewer) return null;
  const keepers = (await ctx.db.source.findUnique({ where: { id: sourceId } }).identityKeepers({ include: { user: true } })) ?? [];
  return keepers.map((keeper) => keeper.user);
}

export async function updateSource(ctx: OperationContext, id: string, input: SourceFields): Promise<PresentedSource> {
  requireRole(ctx.viewer, "REPORTER", "Updating a source");
  if (input.name != null && input.name.trim() === "") throw badInput("input.name", "A source needs a name");
  const source = await inTransaction(ctx, async (tx) => {
    const current = isUuid(id) ? await tx.source.findUnique({ where: { id } }) : null;
    if (!current) throw notFound("Source", id, "id");
    const data = sourceData(input);
    const next = {
      kind: data.kind ?? current.kind,
      anonymousDescription: data.anonymousDescription === undefined ? current.anonymousDescription : data.anonymousDescription,
      anonymityReason: data.anonymityReason === undefined ? current.anonymityReason : data.anonymityReason,
    };
    assertSourceConsistent(next, input.isAnonymous, "input");
    const updated = await tx.source.update({ where: { id }, data });
    if (input.identityKnownBy) await setIdentityKeepers(tx, id, updated.kind, input.identityKnownBy);
    else if (!isAnonymousKind(updated.kind)) await tx.sourceIdentityKeeper.deleteMany({ where: { sourceId: id } });
    return updated;
  });
  return presentSource(ctx.viewer, source);
}

/**
 * Folds a duplicate into the source to keep: its attributions and the staff who know its
 * identity move over, then the duplicate is deleted. Editors only, since it rewrites sourcing
 * across stories.
 */
export async function mergeSources(ctx: OperationContext, input: { keepId: string; mergeId: string }): Promise<PresentedSource> {
  requireRole(ctx.viewer, "EDITOR", "Merging sources");
  if (input.keepId === input.mergeId) throw badInput("input.mergeId", "A source cannot be merged into itself");
  const kept = await inTransaction(ctx, async (tx) => {
    const [keep, merge] = await Promise.all(
      [input.keepId, input.mergeId].map((id) => (isUuid(id) ? tx.source.findUnique({ where: { id } }) : null)),
    );
    if (!keep) throw notFound("Source", input.keepId, "input.keepId");
    if (!merge) throw notFound("Source", input.mergeId, "input.mergeId");
    await tx.attribution.updateMany({ where: { sourceId: merge.id }, data: { sourceId: keep.id } });
    const keepers = await tx.sourceIdentityKeeper.findMany({ where: { sourceId: merge.id } });
    if (keepers.length > 0) {
      await tx.sourceIdentityKeeper.createMany({ data: keepers.map((k) => ({ sourceId: keep.id, userId: k.userId })), skipDuplicates: true });
    }
    await tx.source.delete({ where: { id: merge.id } });
    return keep;
  });
  return presentSource(ctx.viewer, kept);
}
