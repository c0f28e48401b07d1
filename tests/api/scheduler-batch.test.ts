import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishDueStories } from "../../src/scheduling/scheduling.service.js";
import { startTestApi, type TestApi } from "../support/api.js";
import { dueAt, scheduleDrafts } from "../support/scheduled-stories.js";

/**
 * The scheduler publishes a batch of due stories set-wise: the SQL it sends for a batch does not
 * grow with the batch. The batch is published here by calling the scheduler's step directly (the
 * server's own scheduler is off), so that every statement it sends is counted, and nothing else.
 */
describe("publishing a batch of due stories", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ SCHEDULER: "off" });
  });
  afterAll(() => api?.close());

  /** Schedules `ready` drafts and one the publish step refuses (its body gone), lets them fall due, and publishes them in one batch. */
  async function publishBatch(ready: number, label: string) {
    const ids = await scheduleDrafts(api.prisma, ready + 1, label);
    const blocked = ids[0]!;
    await api.prisma.paragraph.deleteMany({ where: { storyId: blocked } });
    await dueAt(api.prisma, -1);
    api.statements.length = 0;
    const outcomes = await publishDueStories(api.prisma, 100);
    return { ids, blocked, outcomes, statements: api.statements.length };
  }

  it("sends as many statements for 12 due stories as for 3, and publishes each once with its event and revision", async () => {
    const countsBefore = await api.prisma.storyCount.findMany();
    const small = await publishBatch(3, "Small batch story");
    const large = await publishBatch(12, "Large batch story");
    expect(large.statements).toBe(small.statements);

    for (const batch of [small, large]) {
      expect(batch.outcomes).toHaveLength(batch.ids.length);
      const refused = batch.outcomes.filter((outcome) => !outcome.published);
      expect(refused).toEqual([
        expect.objectContaining({ storyId: batch.blocked, code: "BAD_USER_INPUT", reason: "NOT_READY_TO_PUBLISH" }),
      ]);

      const stories = await api.prisma.story.findMany({ where: { id: { in: batch.ids } } });
      const events = await api.prisma.storyEvent.findMany({ where: { storyId: { in: batch.ids } }, orderBy: { version: "asc" } });
      const revisions = await api.prisma.storyRevision.findMany({ where: { storyId: { in: batch.ids } }, orderBy: { version: "asc" } });
      for (const story of stories) {
        const storyEvents = events.filter((event) => event.storyId === story.id);
        const storyRevisions = revisions.filter((revision) => revision.storyId === story.id);
        const last = storyEvents.at(-1)!;
        const [previous, latest] = storyRevisions.slice(-2);
        if (story.id === batch.blocked) {
          expect(story).toMatchObject({ status: "DRAFT", scheduledFor: null, publishedAt: null });
          expect(last).toMatchObject({ action: "SCHEDULE_FAILED", version: story.version, fromStatus: "DRAFT", toStatus: "DRAFT" });
          expect(last.details).toMatchObject({
            reason: "NOT_READY_TO_PUBLISH",
            blockers: [expect.objectContaining({ kind: "BODY_MISSING" })],
          });
        } else {
          expect(story).toMatchObject({ status: "PUBLISHED", scheduledFor: null, publishedAt: story.firstPublishedAt });
          expect(storyEvents.filter((event) => event.action === "PUBLISHED")).toEqual([last]);
          expect(last).toMatchObject({ version: story.version, fromStatus: "DRAFT", toStatus: "PUBLISHED", actorId: null });
          expect(last.details).toMatchObject({ scheduled: true });
          // Publishing changes nothing the story prints: the snapshot is the one the kernel wrote when it was scheduled.
          expect(latest).toMatchObject({ action: "PUBLISHED", version: story.version, authorId: null });
          expect(latest!.content).toEqual(previous!.content);
        }
        expect(latest!.version).toBe(story.version);
      }
    }

    // The kept counts moved by the batch's publications, as counting the table says.
    const published = small.ids.length - 1 + large.ids.length - 1;
    const kept = new Map((await api.prisma.storyCount.findMany()).map((row) => [row.status, row.count]));
    const keptBefore = new Map(countsBefore.map((row) => [row.status, row.count]));
    expect(kept.get("PUBLISHED")! - (keptBefore.get("PUBLISHED") ?? 0)).toBe(published);
    expect(kept.get("PUBLISHED")).toBe(await api.prisma.story.count({ where: { status: "PUBLISHED" } }));
    expect(kept.get("DRAFT")).toBe(await api.prisma.story.count({ where: { status: "DRAFT" } }));
  });
});
