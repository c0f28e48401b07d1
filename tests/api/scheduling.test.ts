import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddAttributionDocument,
  ApproveAnonymousSourceDocument,
  ArchiveStoryDocument,
  CreateSourceDocument,
  CreateStoryDocument,
  PublicScheduledStoryDocument,
  PublishStoryDocument,
  RestoreStoryDocument,
  ScheduledStoryDocument,
  ScheduleStoryDocument,
  SearchStorySlugsDocument,
  StoryCountDocument,
  StoryHeadlinesDocument,
  SubmitStoryForReviewDocument,
  UnscheduleStoryDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, startTestApiOn, type TestApi } from "../support/api.js";
import { createTestDatabase } from "../support/database.js";
import { collectLogLines } from "../support/logs.js";

/** Bounds for a hang, not a measure of speed: the benchmark (npm run bench:scheduler) measures lateness. */
const PUBLISH_WAIT_MS = 60_000;
const LATER = () => new Date(Date.now() + 3600_000).toISOString();

describe("scheduled publishing, over HTTP", () => {
  let api: TestApi;
  let editor: string;
  let reporter: string;

  beforeAll(async () => {
    api = await startTestApi({ SCHEDULER: "on" });
    editor = (await api.tokenFor("EDITOR", "Sched Desk")).token;
    reporter = (await api.tokenFor("REPORTER")).token;
  });
  afterAll(() => api?.close());

  async function draft(headline: string, paragraphs = ["The council meets on Tuesday to vote on the budget."]) {
    return ok(await api.graphql(CreateStoryDocument, { input: { headline, paragraphs } }, editor)).createStory.story!;
  }
  const schedule = (id: string, v: number, publishAt: string, token = editor) =>
    api.graphql(ScheduleStoryDocument, { id, v, publishAt }, token);
  const scheduled = async (id: string, v: number, publishAt: string) => ok(await schedule(id, v, publishAt)).scheduleStory.story!;
  const deskView = async (id: string) => ok(await api.graphql(ScheduledStoryDocument, { id }, editor)).story!;

  it("schedules a draft as a versioned change, moves and clears the schedule, and refuses what cannot be scheduled", async () => {
    const story = await draft("Budget vote set for Tuesday");

    const past = failure(await schedule(story.id, story.version, new Date(Date.now() - 60_000).toISOString()));
    expect(past).toMatchObject({ code: "BAD_USER_INPUT", field: "publishAt", extensions: { reason: "PUBLISH_AT_IN_PAST" } });
    const stale = failure(await schedule(story.id, story.version + 1, LATER()));
    expect(stale).toMatchObject({ code: "CONFLICT", field: "expectedVersion", extensions: { reason: "STALE_VERSION" } });
    expect(failure(await schedule(story.id, story.version, LATER(), reporter)).code).toBe("FORBIDDEN");
    expect(failure(await schedule(story.id, story.version, LATER(), "")).code).toBe("UNAUTHENTICATED");
    // Nothing of the refused ones was written.
    expect(await deskView(story.id)).toMatchObject({ version: story.version, scheduledFor: null });

    const first = LATER();
    const once = await scheduled(story.id, story.version, first);
    expect(once).toMatchObject({ status: "DRAFT", version: story.version + 1, scheduledFor: first });
    const moved = new Date(Date.now() + 7200_000).toISOString();
    const twice = await scheduled(story.id, once.version, moved);
    expect(twice).toMatchObject({ version: once.version + 1, scheduledFor: moved });

    const staleUnschedule = failure(await api.graphql(UnscheduleStoryDocument, { id: story.id, v: once.version }, editor));
    expect(staleUnschedule).toMatchObject({ code: "CONFLICT", extensions: { reason: "STALE_VERSION" } });
    const cleared = ok(await api.graphql(UnscheduleStoryDocument, { id: story.id, v: twice.version }, editor)).unscheduleStory.story!;
    expect(cleared).toMatchObject({ status: "DRAFT", version: twice.version + 1, scheduledFor: null });
    const notScheduled = failure(await api.graphql(UnscheduleStoryDocument, { id: story.id, v: cleared.version }, editor));
    expect(notScheduled).toMatchObject({ code: "CONFLICT", extensions: { reason: "NOT_SCHEDULED" } });

    const desk = await deskView(story.id);
    expect(desk.history!.map((event) => [event.action, event.version, event.details])).toEqual([
      ["UNSCHEDULED", cleared.version, null],
      ["SCHEDULED", twice.version, { publishAt: moved }],
      ["SCHEDULED", once.version, { publishAt: first }],
      ["CREATED", story.version, null],
    ]);
    expect(desk.revisions!.totalCount).toBe(4);

    // A published story cannot be scheduled; neither can an archived one.
    const published = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: cleared.version }, editor)).step.story!;
    const refusedPublished = failure(await schedule(story.id, published.version, LATER()));
    expect(refusedPublished).toMatchObject({ code: "CONFLICT", extensions: { reason: "INVALID_TRANSITION", status: "PUBLISHED" } });
    const archived = ok(await api.graphql(ArchiveStoryDocument, { id: story.id, v: published.version }, editor)).step.story!;
    const refusedArchived = failure(await schedule(story.id, archived.version, LATER()));
    expect(refusedArchived).toMatchObject({ code: "CONFLICT", extensions: { reason: "INVALID_TRANSITION", status: "ARCHIVED" } });
    expect(failure(await api.graphql(UnscheduleStoryDocument, { id: story.id, v: archived.version }, editor)).extensions.reason).toBe(
      "NOT_SCHEDULED",
    );
  });

  it("keeps the schedule through review, and clears it on any step away from a publishable status", async () => {
    const story = await draft("Harbour bridge reopens");
    const at = LATER();
    const onSchedule = await scheduled(story.id, story.version, at);
    const inReview = ok(await api.graphql(SubmitStoryForReviewDocument, { id: story.id, v: onSchedule.version }, editor)).step.story!;
    expect((await deskView(story.id)).scheduledFor).toBe(at);

    const archived = ok(await api.graphql(ArchiveStoryDocument, { id: story.id, v: inReview.version }, editor)).step.story!;
    expect((await deskView(story.id)).scheduledFor).toBeNull();
    const restored = ok(await api.graphql(RestoreStoryDocument, { id: story.id, v: archived.version }, editor)).step.story!;
    expect((await deskView(story.id)).scheduledFor).toBeNull();

    const again = await scheduled(story.id, restored.version, at);
    const byHand = ok(await api.graphql(PublishStoryDocument, { id: story.id, v: again.version }, editor)).step.story!;
    const desk = await deskView(story.id);
    expect(desk).toMatchObject({ status: "PUBLISHED", version: byHand.version, scheduledFor: null });
    // Published by hand: the event is the editor's, with no schedule in it.
    expect(desk.history![0]).toMatchObject({ action: "PUBLISHED", details: null, actor: { name: "Sched Desk" } });
  });

  it("shows the public nothing of a scheduled story: not by slug, in lists, counts or search", async () => {
    const word = `zeppelin${Date.now().toString(36)}`;
    const story = await draft(`Airship ${word} lands at dawn`, [`The ${word} landed at dawn after a night crossing.`]);
    const publishedBefore = ok(await api.graphql(StoryCountDocument, {})).stories.totalCount;
    const onSchedule = await scheduled(story.id, story.version, LATER());
    expect(onSchedule.scheduledFor).not.toBeNull();

    expect(ok(await api.graphql(PublicScheduledStoryDocument, { slug: story.slug })).story).toBeNull();
    const front = ok(await api.graphql(StoryHeadlinesDocument, { first: 100 })).stories;
    expect(front.edges.map((edge) => edge.node.id)).not.toContain(story.id);
    expect(front.totalCount).toBe(publishedBefore);
    expect(ok(await api.graphql(StoryCountDocument, { filter: { status: "DRAFT" } })).stories.totalCount).toBe(0);
    expect(ok(await api.graphql(SearchStorySlugsDocument, { query: word })).searchStories.totalCount).toBe(0);
    // Staff find it, with its schedule.
    expect(ok(await api.graphql(SearchStorySlugsDocument, { query: word }, editor)).searchStories.totalCount).toBe(1);
  });

  it("publishes a story scheduled moments ahead once, through the publish step, never before its time", async () => {
    const word = `heron${Date.now().toString(36)}`;
    const story = await draft(`Rare ${word} returns to the marsh`, [`A ${word} was seen on the marsh for the first time in years.`]);
    const publishAt = new Date(Date.now() + 1500);
    const onSchedule = await scheduled(story.id, story.version, publishAt.toISOString());

    await expect.poll(async () => (await deskView(story.id)).status, { timeout: PUBLISH_WAIT_MS, interval: 50 }).toBe("PUBLISHED");
    const desk = await deskView(story.id);
    expect(desk).toMatchObject({ version: onSchedule.version + 1, scheduledFor: null });
    expect(new Date(desk.publishedAt!).getTime()).toBeGreaterThanOrEqual(publishAt.getTime());
    expect(desk.history!.map((event) => event.action)).toEqual(["PUBLISHED", "SCHEDULED", "CREATED"]);
    expect(desk.history![0]).toMatchObject({
      version: onSchedule.version + 1,
      fromStatus: "DRAFT",
      toStatus: "PUBLISHED",
      actor: null,
      details: { scheduled: true, publishAt: publishAt.toISOString() },
    });
    expect(desk.revisions!.totalCount).toBe(3);

    // Now the public reads it everywhere.
    expect(ok(await api.graphql(PublicScheduledStoryDocument, { slug: story.slug })).story).toEqual({ id: story.id, scheduledFor: null });
    expect(ok(await api.graphql(SearchStorySlugsDocument, { query: word })).searchStories.totalCount).toBe(1);
    const front = ok(await api.graphql(StoryHeadlinesDocument, { first: 100 })).stories;
    expect(front.edges.map((edge) => edge.node.id)).toContain(story.id);
  });

  it("does not retry a due story the publish step refuses: the schedule is cleared and SCHEDULE_FAILED says why", async () => {
    const story = await draft("Story with no body yet", []);
    const publishAt = new Date(Date.now() + 1000);
    const onSchedule = await scheduled(story.id, story.version, publishAt.toISOString());

    await expect.poll(async () => (await deskView(story.id)).scheduledFor, { timeout: PUBLISH_WAIT_MS, interval: 50 }).toBeNull();
    const desk = await deskView(story.id);
    expect(desk).toMatchObject({ status: "DRAFT", version: onSchedule.version + 1, publishedAt: null });
    expect(desk.history![0]).toMatchObject({
      action: "SCHEDULE_FAILED",
      fromStatus: "DRAFT",
      toStatus: "DRAFT",
      actor: null,
      details: { publishAt: publishAt.toISOString(), code: "BAD_USER_INPUT", reason: "NOT_READY_TO_PUBLISH" },
    });
    expect(desk.history!.filter((event) => event.action === "PUBLISHED")).toEqual([]);
    expect(ok(await api.graphql(PublicScheduledStoryDocument, { slug: story.slug })).story).toBeNull();
  });

  it("takes the publish step's blockers: an unapproved anonymous source stops a scheduled story, named in SCHEDULE_FAILED", async () => {
    const input = {
      name: `Clerk ${Math.random()}`,
      kind: "ANONYMOUS" as const,
      anonymousDescription: "a clerk",
      anonymityReason: "fears dismissal",
    };
    const sourceId = ok(await api.graphql(CreateSourceDocument, { input }, editor)).createSource.source!.id;
    const story = await draft("Court records sealed", ["The clerk said the records were sealed."]);
    const attribution = {
      storyId: story.id,
      sourceId,
      paragraphId: story.paragraphs[0]!.id,
      kind: "PARAPHRASE" as const,
      quote: "the records were sealed",
    };
    ok(await api.graphql(AddAttributionDocument, { input: attribution }, editor));
    const withQuote = await deskView(story.id);

    const onSchedule = await scheduled(story.id, withQuote.version, new Date(Date.now() + 1000).toISOString());
    await expect.poll(async () => (await deskView(story.id)).scheduledFor, { timeout: PUBLISH_WAIT_MS, interval: 50 }).toBeNull();
    const refused = await deskView(story.id);
    expect(refused).toMatchObject({ status: "DRAFT", version: onSchedule.version + 1 });
    expect(refused.history![0]).toMatchObject({
      action: "SCHEDULE_FAILED",
      details: { code: "BAD_USER_INPUT", reason: "NOT_READY_TO_PUBLISH", blockers: [{ kind: "ANONYMOUS_SOURCE_UNAPPROVED", sourceId }] },
    });

    // Approved, and scheduled again: it goes out.
    ok(await api.graphql(ApproveAnonymousSourceDocument, { id: sourceId }, editor));
    const approved = await deskView(story.id);
    await scheduled(story.id, approved.version, new Date(Date.now() + 1000).toISOString());
    await expect.poll(async () => (await deskView(story.id)).status, { timeout: PUBLISH_WAIT_MS, interval: 50 }).toBe("PUBLISHED");
    expect((await deskView(story.id)).history!.filter((event) => event.action === "PUBLISHED")).toHaveLength(1);
  });
});

describe("stories that fall due while no scheduler runs", () => {
  it("publish when one starts, with the original publishAt recorded and a log line for each", async () => {
    const database = await createTestDatabase();
    try {
      // An instance without a scheduler (SCHEDULER=off), as when every instance is down.
      const desk = await startTestApiOn(database, { SCHEDULER: "off" });
      const editor = (await desk.tokenFor("EDITOR")).token;
      const stories: { id: string; publishAt: string }[] = [];
      try {
        for (const headline of ["Night train timetable", "Port strike ends"]) {
          const story = ok(await desk.graphql(CreateStoryDocument, { input: { headline, paragraphs: ["It happened."] } }, editor))
            .createStory.story!;
          const publishAt = new Date(Date.now() + 500).toISOString();
          ok(await desk.graphql(ScheduleStoryDocument, { id: story.id, v: story.version, publishAt }, editor));
          stories.push({ id: story.id, publishAt });
        }
        // Both fall due while nothing publishes them.
        await expect
          .poll(async () => stories.every(({ publishAt }) => Date.parse(publishAt) < Date.now()), { timeout: PUBLISH_WAIT_MS })
          .toBe(true);
        for (const { id } of stories) expect(ok(await desk.graphql(ScheduledStoryDocument, { id }, editor)).story!.status).toBe("DRAFT");
      } finally {
        await desk.stop();
      }

      const log = collectLogLines();
      const started = await startTestApiOn(database, { SCHEDULER: "on" }, log.sink);
      try {
        const overdue = () => log.lines.filter((line) => line.msg === "published a scheduled story that fell due while no scheduler ran");
        await expect.poll(() => overdue().length, { timeout: PUBLISH_WAIT_MS }).toBe(stories.length);
        expect(
          overdue()
            .map((line) => [line.storyId, line.publishAt])
            .sort(),
        ).toEqual(stories.map((s) => [s.id, s.publishAt]).sort());
        const editor2 = (await started.tokenFor("EDITOR")).token;
        for (const { id, publishAt } of stories) {
          const story = ok(await started.graphql(ScheduledStoryDocument, { id }, editor2)).story!;
          expect(story.status).toBe("PUBLISHED");
          expect(story.history!.filter((event) => event.action === "PUBLISHED")).toEqual([
            expect.objectContaining({ details: { scheduled: true, publishAt } }),
          ]);
        }
      } finally {
        await started.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
