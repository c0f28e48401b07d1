import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddAttributionDocument,
  ApproveAnonymousSourceDocument,
  ConfirmAttributionDocument,
  CreateSourceDocument,
  CreateStoryDocument,
  ImportWireStoryDocument,
  PublishStoryDocument,
  SourceApprovalDocument,
  StoryHistoryDocument,
  StoryLookupDocument,
  StoryReadinessDocument,
  UpdateSourceApprovalDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

/** Wire copy whose one claim the importer proposes for an anonymous source, unconfirmed. */
const DAM_STORY = `Dam inspection put off until spring

SPRINGFIELD, Ill. (AP) — The state put off the inspection of the Lake Hollis dam until spring.

A state engineer, who was not authorized to discuss the inspection publicly, said the spillway had cracked last winter.
`;

describe("anonymous sources approved and attributions confirmed before print, over HTTP", () => {
  let api: TestApi;
  let reporter: string;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    reporter = (await api.tokenFor("REPORTER", "Rita Reporter")).token;
    editor = (await api.tokenFor("EDITOR", "Eddie Editor")).token;
  });
  afterAll(() => api?.close());

  const readiness = async (id: string, token = editor) => ok(await api.graphql(StoryReadinessDocument, { id }, token)).story!;
  const publish = (id: string, v: number) => api.graphql(PublishStoryDocument, { id, v }, editor);
  const approve = (id: string, token = editor) => api.graphql(ApproveAnonymousSourceDocument, { id }, token);
  const blockersOf = (blockers: { kind: string; sourceId?: string | null; attributionId?: string | null }[]) =>
    blockers.map(({ kind, sourceId, attributionId }) => ({ kind, sourceId, attributionId }));

  /** A draft with one paragraph that quotes the given source, confirmed, as a reporter adds it. */
  async function storyQuoting(sourceId: string, headline: string) {
    const story = ok(
      await api.graphql(CreateStoryDocument, { input: { headline, paragraphs: ["The official said it would hold."] } }, reporter),
    ).createStory.story!;
    const input = {
      storyId: story.id,
      sourceId,
      paragraphId: story.paragraphs[0]!.id,
      kind: "PARAPHRASE" as const,
      quote: "it would hold",
    };
    ok(await api.graphql(AddAttributionDocument, { input }, reporter));
    return story.id;
  }

  async function anonymousSource(reason = "not authorized to speak publicly") {
    const input = {
      name: `Inspector (internal ${Math.random()})`,
      kind: "ANONYMOUS" as const,
      anonymousDescription: "an inspector",
      anonymityReason: reason,
    };
    return ok(await api.graphql(CreateSourceDocument, { input }, reporter)).createSource.source!.id;
  }

  it("refuses publishing, naming each blocker, while an anonymous source is unapproved or a proposed attribution is unconfirmed", async () => {
    const imported = ok(await api.graphql(ImportWireStoryDocument, { text: DAM_STORY }, reporter)).importWireStory.story;
    let story = await readiness(imported.id);
    const [proposal] = story.attributions;
    const [engineer] = story.sources;
    expect(story.attributions).toEqual([{ id: proposal!.id, confirmed: false }]);
    expect(engineer).toMatchObject({ kind: "ANONYMOUS", anonymousDescription: "A state engineer", anonymityApprovedAt: null });

    // The desk sees what stops the story before trying.
    const both = [
      { kind: "ANONYMOUS_SOURCE_UNAPPROVED", sourceId: engineer!.id, attributionId: null },
      { kind: "ATTRIBUTION_UNCONFIRMED", sourceId: engineer!.id, attributionId: proposal!.id },
    ];
    expect(blockersOf(story.publishBlockers!)).toEqual(both);

    const revisionsBefore = await api.prisma.storyRevision.count({ where: { storyId: story.id } });
    const refused = failure(await publish(story.id, story.version));
    expect(refused).toMatchObject({ code: "BAD_USER_INPUT", field: "id", extensions: { reason: "NOT_READY_TO_PUBLISH" } });
    expect(blockersOf(refused.extensions.blockers)).toEqual(both);
    expect(refused.extensions.blockers[0].message).toMatch(/"A state engineer" is not approved/);
    expect(refused.extensions.blockers[1].message).toMatch(/paragraph 2 \("the spillway had cracked last winter\."\)/);
    expect(refused.message).toMatch(/^The story cannot be published: /);
    // Nothing was written: same version and status, no event, no revision.
    expect(await readiness(story.id)).toMatchObject({ status: "DRAFT", version: story.version });
    expect(await api.prisma.storyRevision.count({ where: { storyId: story.id } })).toBe(revisionsBefore);
    const history = ok(await api.graphql(StoryHistoryDocument, { id: story.id }, editor)).story!.history!;
    expect(history.map((event) => event.action)).toEqual(["IMPORTED"]);

    // An editor approves the source: recorded with who and when, in each quoting story's history.
    const approved = ok(await approve(engineer!.id)).approveAnonymousSource.source!;
    expect(approved.anonymityApprovedBy).toEqual({ name: "Eddie Editor" });
    expect(Date.parse(approved.anonymityApprovedAt!)).not.toBeNaN();
    story = await readiness(story.id);
    expect(story.version).toBe(2);
    const approvalEvent = ok(await api.graphql(StoryHistoryDocument, { id: story.id }, editor)).story!.history![0];
    expect(approvalEvent).toMatchObject({ action: "SOURCE_ANONYMITY_APPROVED", version: 2, actor: { name: "Eddie Editor" } });

    const stillRefused = failure(await publish(story.id, story.version));
    expect(stillRefused.extensions.reason).toBe("NOT_READY_TO_PUBLISH");
    expect(blockersOf(stillRefused.extensions.blockers)).toEqual([both[1]]);
    expect(blockersOf(story.publishBlockers!)).toEqual([both[1]]);

    ok(await api.graphql(ConfirmAttributionDocument, { id: proposal!.id }, editor));
    story = await readiness(story.id);
    expect(story.publishBlockers).toEqual([]);
    const published = ok(await publish(story.id, story.version)).step.story!;
    expect(published.status).toBe("PUBLISHED");
    expect(ok(await api.graphql(StoryLookupDocument, { id: story.id })).story).not.toBeNull();
  });

  it("lets only editors approve: a reporter is refused and nothing is recorded", async () => {
    const sourceId = await anonymousSource();
    const storyId = await storyQuoting(sourceId, "Levee holds after storm");
    const before = await readiness(storyId);
    expect(failure(await approve(sourceId, reporter)).code).toBe("FORBIDDEN");
    const source = ok(await api.graphql(SourceApprovalDocument, { id: sourceId }, editor)).source!;
    expect(source).toMatchObject({ anonymityApprovedAt: null, anonymityApprovedBy: null });
    expect(await readiness(storyId)).toMatchObject({ version: before.version });
  });

  it("refuses approval while the reason is not stated, and names both blockers on the story", async () => {
    // The API never makes an anonymous source without a reason; a row written before that rule can lack one.
    const { id: sourceId } = await api.prisma.source.create({
      data: { kind: "ANONYMOUS", name: "Old contact (internal)", terms: "NOT_FOR_ATTRIBUTION", anonymousDescription: "a longtime contact" },
    });
    const storyId = await storyQuoting(sourceId, "Bridge repairs stall");
    const refused = failure(await approve(sourceId));
    expect(refused).toMatchObject({ code: "BAD_USER_INPUT", field: "anonymityReason", extensions: { reason: "ANONYMITY_REASON_MISSING" } });
    expect(await api.prisma.source.findUniqueOrThrow({ where: { id: sourceId } })).toMatchObject({ anonymityApprovedAt: null });
    expect(blockersOf((await readiness(storyId)).publishBlockers!)).toEqual([
      { kind: "ANONYMITY_REASON_MISSING", sourceId, attributionId: null },
      { kind: "ANONYMOUS_SOURCE_UNAPPROVED", sourceId, attributionId: null },
    ]);

    const named = ok(await api.graphql(CreateSourceDocument, { input: { name: "Dana Engineer", kind: "PERSON" } }, reporter)).createSource
      .source!;
    expect(failure(await approve(named.id))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "id",
      extensions: { reason: "NOT_ANONYMOUS" },
    });
  });

  it("withdraws the approval when the reason or description changes, and keeps it through other edits", async () => {
    const sourceId = await anonymousSource();
    const storyId = await storyQuoting(sourceId, "Reservoir levels fall");
    ok(await approve(sourceId));
    expect((await readiness(storyId)).publishBlockers).toEqual([]);

    const retitled = ok(await api.graphql(UpdateSourceApprovalDocument, { id: sourceId, input: { title: "Inspector" } }, editor))
      .updateSource.source!;
    expect(retitled.anonymityApprovedBy).toEqual({ name: "Eddie Editor" });

    const newReason = { anonymityReason: "fears losing the job" };
    const changed = ok(await api.graphql(UpdateSourceApprovalDocument, { id: sourceId, input: newReason }, editor)).updateSource.source!;
    expect(changed).toMatchObject({ anonymityReason: "fears losing the job", anonymityApprovedAt: null, anonymityApprovedBy: null });
    let story = await readiness(storyId);
    expect(blockersOf(story.publishBlockers!)).toEqual([{ kind: "ANONYMOUS_SOURCE_UNAPPROVED", sourceId, attributionId: null }]);
    expect(failure(await publish(storyId, story.version)).extensions.reason).toBe("NOT_READY_TO_PUBLISH");

    ok(await approve(sourceId));
    const described = { anonymousDescription: "a state inspector" };
    ok(await api.graphql(UpdateSourceApprovalDocument, { id: sourceId, input: described }, editor));
    story = await readiness(storyId);
    expect(story.sources[0]).toMatchObject({ anonymousDescription: "a state inspector", anonymityApprovedAt: null });

    ok(await approve(sourceId));
    story = await readiness(storyId);
    expect(ok(await publish(storyId, story.version)).step.story!.status).toBe("PUBLISHED");
  });

  it("keeps the approval and the blockers from the public", async () => {
    const sourceId = await anonymousSource();
    const storyId = await storyQuoting(sourceId, "Canal reopens to barges");
    ok(await approve(sourceId));
    ok(await publish(storyId, (await readiness(storyId)).version));
    const read = ok(await api.graphql(StoryReadinessDocument, { id: storyId })).story!;
    expect(read.publishBlockers).toBeNull();
    expect(read.sources).toEqual([
      {
        id: sourceId,
        name: "an inspector",
        kind: "ANONYMOUS",
        anonymousDescription: "an inspector",
        anonymityReason: null,
        anonymityApprovedAt: null,
        anonymityApprovedBy: null,
      },
    ]);
  });
});
