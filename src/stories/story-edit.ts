import { recordEvent, recordEvents } from "../audit/audit.service.js";
import type { StoryEventAction } from "../audit/audit.rules.js";
import { latestPrintedStory, printedStoryOf, writeRevision, writeRevisions } from "../audit/revision.service.js";
import { assertEditorialNote, printedWordsDiffer, type EditorialNote, type PrintedStory } from "../audit/revision.rules.js";
import type { OperationContext } from "../context/operation-context.js";
import type { Transaction } from "../db/client.js";
import { isUuid } from "../db/ids.js";
import { inTransaction } from "../db/transaction.js";
import { asAppError, notFound, type AppError } from "../errors.js";
import { Prisma, type Story } from "../generated/prisma/client.js";
import { checkVersion, type StoryAccessFacts, type StoryStatus } from "./story.rules.js";

/**
 * The story-edit kernel: every change to a story goes through here, so that each one locks the
 * story, is authorised, names the version it was made on, bumps it, and is recorded (an event in
 * the audit trail and an immutable revision of what the story prints), in one transaction. Once a
 * story has been published, a change to its printed words also needs a correction note or a
 * stated minor edit, or nothing of it is written.
 */

export type LockedStory = StoryAccessFacts & { version: number };

export async function lockStory(tx: Transaction, storyId: string, field: string): Promise<LockedStory> {
  if (!isUuid(storyId)) throw notFound("Story", storyId, field);
  const [row] = await tx.$queryRaw<{ id: string; status: StoryStatus; author_id: string | null; version: number }[]>`
    SELECT id::text AS id, status::text AS status, author_id::text AS author_id, version
      FROM stories WHERE id = ${storyId}::uuid FOR UPDATE`;
  if (!row) throw notFound("Story", storyId, field);
  return { id: row.id, status: row.status, authorId: row.author_id, version: row.version };
}

export interface StoryEdit {
  storyId: string;
  expectedVersion: number;
  /** The request's name for the story id, for a NOT_FOUND ("id", "input.storyId"). */
  storyField?: string;
  action: StoryEventAction;
  note?: EditorialNote;
  /** Where the request carried the correction note or minor edit reason; "input" when left out. */
  noteField?: string;
  /** Recorded with the event, e.g. a schedule's publishAt. */
  details?: Prisma.InputJsonObject;
}

/**
 * The one path for changing a story: lock its row, check who may do it and that they saw the
 * latest version, do the work, and commit the change (version, event, revision, correction). Two
 * editors saving at once are serialised by the row lock, and the second one is told the story moved on.
 */
export async function editStory<Authorized>(
  ctx: OperationContext,
  edit: StoryEdit,
  authorize: (story: LockedStory) => Authorized,
  work: (tx: Transaction, story: LockedStory, authorized: Authorized) => Promise<Prisma.StoryUpdateInput | void>,
): Promise<Story> {
  return inTransaction(ctx, async (tx) => {
    const story = await lockStory(tx, edit.storyId, edit.storyField ?? "id");
    const authorized = authorize(story);
    checkVersion(story.version, edit.expectedVersion);
    const before = await latestPrintedStory(tx, story.id);
    const changes = (await work(tx, story, authorized)) ?? {};
    return commitStoryChange(tx, { actorId: ctx.viewer?.id ?? null, story, before, changes, ...edit });
  });
}

export interface StoryChange {
  actorId: string | null;
  story: LockedStory;
  /** What the story printed before the change. */
  before: PrintedStory;
  changes: Prisma.StoryUpdateInput;
  action: StoryEventAction;
  note?: EditorialNote;
  noteField?: string;
  details?: Prisma.InputJsonObject;
}

/** Bumps the version and records the change: an event, a revision, and the correction note it came with. */
export async function commitStoryChange(tx: Transaction, change: StoryChange): Promise<Story> {
  const { story, note } = change;
  let updated = await tx.story.update({ where: { id: story.id }, data: { ...change.changes, version: { increment: 1 } } });
  await recordEvent(tx, change.actorId, updated, change.action, story.status, change.details);
  const after = await printedStoryOf(tx, story.id);
  assertEditorialNote(
    { everPublished: updated.firstPublishedAt !== null, wordsChanged: printedWordsDiffer(change.before, after), note },
    change.noteField ?? "input",
  );
  await writeRevision(tx, {
    storyId: story.id,
    version: updated.version,
    action: change.action,
    authorId: change.actorId,
    content: after,
    minorEditReason: note?.correction ? null : note?.minorEditReason?.trim() || null,
  });
  if (note?.correction) {
    const { kind, text } = note.correction;
    await tx.correction.create({
      data: { storyId: story.id, version: updated.version, kind, text: text.trim(), authorId: change.actorId },
    });
    if (kind === "RETRACTION" && updated.retractedAt === null) {
      updated = await tx.story.update({ where: { id: story.id }, data: { retractedAt: new Date() } });
    }
  }
  return updated;
}

/** The changes commitStatusChanges takes: none alters what a story prints, which is why a batch can be written set-wise. */
export interface StatusChanges {
  status?: StoryStatus;
  publishedAt?: Date | null;
  firstPublishedAt?: Date;
  scheduledFor?: Date | null;
}

export interface StatusChange {
  actorId: string | null;
  story: LockedStory;
  /** What the story printed at its latest revision. */
  before: PrintedStory;
  /** Whether the story has been published by the time this change is made (its firstPublishedAt is set after it). */
  everPublished: boolean;
  changes: StatusChanges;
  action: StoryEventAction;
  details?: Prisma.InputJsonObject;
}

/**
 * The refusal commitStoryChange would make of a change without a note: a published story whose
 * printed words differ from its latest revision. `printed` is what the story prints now.
 */
export function editorialRefusal(change: Pick<StatusChange, "before" | "everPublished">, printed: PrintedStory): AppError | undefined {
  try {
    assertEditorialNote(
      { everPublished: change.everPublished, wordsChanged: printedWordsDiffer(change.before, printed), note: undefined },
      "input",
    );
    return undefined;
  } catch (error) {
    const refusal = asAppError(error);
    if (!refusal) throw error;
    return refusal;
  }
}

/**
 * commitStoryChange for a batch of locked stories (the scheduler's publications), set-wise: one
 * UPDATE for each distinct set of changes (stories published together share them), one INSERT of
 * the events and one of the revisions, whatever the batch's size. The changes alter nothing a
 * story prints (StatusChanges), so `printed`, read before them, is the content of each new revision,
 * as commitStoryChange would read it after; the same editorial check applies to each story.
 */
export async function commitStatusChanges(tx: Transaction, batch: StatusChange[], printed: Map<string, PrintedStory>): Promise<void> {
  const contentOf = (change: StatusChange) => {
    const content = printed.get(change.story.id);
    if (!content) throw new Error(`No printed content read for story ${change.story.id}`);
    const refusal = editorialRefusal(change, content);
    if (refusal) throw refusal;
    return content;
  };
  const contents = batch.map(contentOf);
  const groups = new Map<string, { changes: StatusChanges; ids: string[] }>();
  for (const { story, changes } of batch) {
    const key = JSON.stringify(changes);
    const group = groups.get(key) ?? { changes, ids: [] };
    group.ids.push(story.id);
    groups.set(key, group);
  }
  for (const { changes, ids } of groups.values()) {
    await tx.story.updateMany({ where: { id: { in: ids } }, data: { ...changes, version: { increment: 1 } } });
  }
  const after = batch.map(({ story, changes }) => ({
    id: story.id,
    version: story.version + 1,
    status: changes.status ?? story.status,
  }));
  await recordEvents(
    tx,
    batch.map((change, i) => ({
      actorId: change.actorId,
      story: after[i]!,
      action: change.action,
      fromStatus: change.story.status,
      details: change.details,
    })),
  );
  await writeRevisions(
    tx,
    batch.map((change, i) => ({
      storyId: change.story.id,
      version: after[i]!.version,
      action: change.action,
      authorId: change.actorId,
      content: contents[i]!,
    })),
  );
}

/**
 * A change to something several stories print (a photo's caption, a source's name): every story
 * that prints it is locked (in id order, so two such changes cannot deadlock), the work is done
 * once, and each story gets a new version with its revision, as if edited itself.
 */
export async function changeSharedContent<Result>(
  tx: Transaction,
  change: {
    actorId: string | null;
    storyIds: string[];
    action: StoryEventAction;
    note?: EditorialNote;
    noteField?: string;
    /** Throws when the change may not touch one of these stories. */
    authorize: (stories: LockedStory[]) => void;
  },
  work: () => Promise<Result>,
): Promise<Result> {
  const ids = [...new Set(change.storyIds)].sort();
  const locked: { story: LockedStory; before: PrintedStory }[] = [];
  for (const id of ids) {
    const story = await lockStory(tx, id, "id");
    locked.push({ story, before: await latestPrintedStory(tx, id) });
  }
  change.authorize(locked.map(({ story }) => story));
  const result = await work();
  for (const { story, before } of locked) {
    await commitStoryChange(tx, {
      actorId: change.actorId,
      story,
      before,
      changes: {},
      action: change.action,
      note: change.note,
      noteField: change.noteField,
    });
  }
  return result;
}

/** The first revision of a story just created (by a reporter, the wire importer or the seed). */
export async function recordNewStory(tx: Transaction, story: Story, actorId: string | null, action: StoryEventAction): Promise<void> {
  await recordEvent(tx, actorId, story, action, null);
  await writeRevision(tx, {
    storyId: story.id,
    version: story.version,
    action,
    authorId: actorId,
    content: await printedStoryOf(tx, story.id),
  });
}

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
