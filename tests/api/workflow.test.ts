import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArchiveStoryDocument,
  AttachPhotoDocument,
  CreatePhotoDocument,
  CreateStoryDocument,
  CreateUserDocument,
  DeleteStoryDocument,
  IssueTokenDocument,
  PublishStoryDocument,
  type PublishStoryMutation,
  type PublishStoryMutationVariables,
  RestoreStoryDocument,
  ReturnStoryToDraftDocument,
  RevokeTokensDocument,
  StoryHeadlineDocument,
  StoryHistoryDocument,
  StoryStatusesDocument,
  SubmitStoryForReviewDocument,
  UnpublishStoryDocument,
  UpdateStoryDocument,
  ViewerDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

/** Every workflow step takes the story's id and the version it was made on, and answers as `step`. */
type Step = "submitStoryForReview" | "returnStoryToDraft" | "publishStory" | "unpublishStory" | "archiveStory" | "restoreStory";
const STEPS: Record<Step, TypedDocumentNode<PublishStoryMutation, PublishStoryMutationVariables>> = {
  submitStoryForReview: SubmitStoryForReviewDocument,
  returnStoryToDraft: ReturnStoryToDraftDocument,
  publishStory: PublishStoryDocument,
  unpublishStory: UnpublishStoryDocument,
  archiveStory: ArchiveStoryDocument,
  restoreStory: RestoreStoryDocument,
};

describe("publishing workflow and roles, over HTTP", () => {
  let api: TestApi;
  let reporter: string;
  let otherReporter: string;
  let editor: string;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi();
    reporter = (await api.tokenFor("REPORTER", "Rita Reporter")).token;
    otherReporter = (await api.tokenFor("REPORTER")).token;
    editor = (await api.tokenFor("EDITOR")).token;
    admin = (await api.tokenFor("ADMIN")).token;
  });
  afterAll(() => api?.close());

  /** Takes one workflow step and returns the server's whole answer. */
  const step = (name: Step, id: string, v: number, token?: string) => api.graphql(STEPS[name], { id, v }, token);
  /** The story after a step that must succeed. */
  const stepped = async (name: Step, id: string, v: number, token?: string) => ok(await step(name, id, v, token)).step.story!;

  async function draft(headline = "Floods close the river road", token = reporter) {
    return ok(
      await api.graphql(
        CreateStoryDocument,
        { input: { headline, dateline: "SPRINGFIELD", paragraphs: ["The river rose overnight.", "Crews closed the road."] } },
        token,
      ),
    ).createStory.story!;
  }

  it("takes a story from draft through review to publication, and out again", async () => {
    const story = await draft();
    expect(story).toMatchObject({ status: "DRAFT", version: 1, slug: "floods-close-the-river-road" });

    const submitted = await stepped("submitStoryForReview", story.id, 1, reporter);
    expect(submitted).toMatchObject({ status: "IN_REVIEW", version: 2, publishedAt: null });

    const beforePublishing = Date.now();
    const published = await stepped("publishStory", story.id, 2, editor);
    const afterPublishing = Date.now();
    expect(published).toMatchObject({ status: "PUBLISHED", version: 3 });
    expect(Date.parse(published.publishedAt!)).toBeGreaterThanOrEqual(beforePublishing);
    expect(Date.parse(published.publishedAt!)).toBeLessThanOrEqual(afterPublishing);

    const unpublished = await stepped("unpublishStory", story.id, 3, editor);
    expect(unpublished).toMatchObject({ status: "DRAFT", version: 4, publishedAt: null });

    const archived = await stepped("archiveStory", story.id, 4, editor);
    expect(archived).toMatchObject({ status: "ARCHIVED", version: 5 });

    const restored = await stepped("restoreStory", story.id, 5, editor);
    expect(restored).toMatchObject({ status: "DRAFT", version: 6 });

    const history = ok(await api.graphql(StoryHistoryDocument, { id: story.id }, editor)).story!.history!;
    expect(history.map((event) => [event.action, event.version, event.fromStatus, event.toStatus])).toEqual([
      ["RESTORED", 6, "ARCHIVED", "DRAFT"],
      ["ARCHIVED", 5, "DRAFT", "ARCHIVED"],
      ["UNPUBLISHED", 4, "PUBLISHED", "DRAFT"],
      ["PUBLISHED", 3, "IN_REVIEW", "PUBLISHED"],
      ["SUBMITTED", 2, "DRAFT", "IN_REVIEW"],
      ["CREATED", 1, null, "DRAFT"],
    ]);
    expect(history.at(-1)?.actor?.name).toBe("Rita Reporter");
    const latest = ok(await api.graphql(StoryHistoryDocument, { id: story.id, first: 2 }, editor)).story!.history!;
    expect(latest.map((event) => event.action)).toEqual(["RESTORED", "ARCHIVED"]);
    ok(await step("submitStoryForReview", story.id, 6, reporter));
    ok(await step("publishStory", story.id, 7, editor));
    expect(ok(await api.graphql(StoryHistoryDocument, { id: story.id })).story!.history).toBeNull();
  });

  it("records nothing in the audit trail for a refused change", async () => {
    const story = await draft();
    failure(await api.graphql(UpdateStoryDocument, { id: story.id, v: 9, input: { headline: "Stale" } }, reporter));
    failure(await step("unpublishStory", story.id, 1, editor));
    failure(await step("publishStory", story.id, 1, reporter));
    expect(await api.prisma.storyEvent.findMany({ where: { storyId: story.id }, select: { action: true } })).toEqual([
      { action: "CREATED" },
    ]);
  });

  it("hides drafts from the public and shows published stories", async () => {
    const story = await draft("A draft nobody should read yet");
    expect(ok(await api.graphql(StoryHeadlineDocument, { id: story.id })).story).toBeNull();
    expect(ok(await api.graphql(StoryHeadlineDocument, { id: story.id }, otherReporter)).story!.headline).toBe(
      "A draft nobody should read yet",
    );
    const list = ok(await api.graphql(StoryStatusesDocument, { first: 100 }));
    expect(list.stories.edges.every((edge) => edge.node.status === "PUBLISHED")).toBe(true);
  });

  it("refuses illegal transitions with CONFLICT and changes nothing", async () => {
    const story = await draft();
    const error = failure(await step("unpublishStory", story.id, 1, editor));
    expect(error.code).toBe("CONFLICT");
    expect(error.extensions.reason).toBe("INVALID_TRANSITION");
    expect(error.message).toMatch(/Cannot unpublish a story that is DRAFT/);
    expect(failure(await step("restoreStory", story.id, 1, editor)).code).toBe("CONFLICT");
    expect(failure(await step("returnStoryToDraft", story.id, 1, editor)).code).toBe("CONFLICT");
    ok(await step("archiveStory", story.id, 1, editor));
    for (const name of ["publishStory", "submitStoryForReview", "unpublishStory", "archiveStory"] as const) {
      expect(failure(await step(name, story.id, 2, editor)).code).toBe("CONFLICT");
    }
    expect(await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ status: "ARCHIVED", version: 2 });
  });

  it("lets an editor publish a draft directly, but not a reporter", async () => {
    const story = await draft("Breaking: bridge reopens");
    expect(failure(await step("publishStory", story.id, 1, reporter)).code).toBe("FORBIDDEN");
    const published = await stepped("publishStory", story.id, 1, editor);
    expect(published).toMatchObject({ status: "PUBLISHED", version: 2 });
    expect(failure(await step("publishStory", story.id, 2, editor)).code).toBe("CONFLICT");
  });

  it("keeps each step to the roles allowed to take it", async () => {
    const story = await draft();
    expect(failure(await step("submitStoryForReview", story.id, 1, otherReporter)).code).toBe("FORBIDDEN");
    expect(failure(await step("submitStoryForReview", story.id, 1)).code).toBe("UNAUTHENTICATED");
    ok(await step("submitStoryForReview", story.id, 1, reporter));
    for (const name of ["publishStory", "archiveStory", "returnStoryToDraft"] as const) {
      expect(failure(await step(name, story.id, 2, reporter)).code).toBe("FORBIDDEN");
    }
    // Once in review the copy is the desk's: the reporter can no longer change it.
    expect(failure(await api.graphql(UpdateStoryDocument, { id: story.id, v: 2, input: { headline: "Changed" } }, reporter)).code).toBe(
      "FORBIDDEN",
    );
    const returned = await stepped("returnStoryToDraft", story.id, 2, editor);
    expect(returned).toMatchObject({ status: "DRAFT", version: 3 });
    ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: 3, input: { headline: "Changed" } }, reporter));
  });

  it("lets editors edit anyone's story and reporters only their own drafts", async () => {
    const story = await draft();
    expect(failure(await api.graphql(UpdateStoryDocument, { id: story.id, v: 1, input: { summary: "x" } }, otherReporter)).code).toBe(
      "FORBIDDEN",
    );
    const edited = ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: 1, input: { summary: "Desk summary" } }, editor))
      .updateStory.story;
    expect(edited).toMatchObject({ summary: "Desk summary", version: 2 });
  });

  it("refuses a stale expectedVersion with CONFLICT, the current version, and nothing written", async () => {
    const story = await draft();
    ok(await api.graphql(UpdateStoryDocument, { id: story.id, v: 1, input: { headline: "First save wins" } }, reporter));
    const error = failure(
      await api.graphql(UpdateStoryDocument, { id: story.id, v: 1, input: { headline: "Second save loses" } }, reporter),
    );
    expect(error).toMatchObject({ code: "CONFLICT", field: "expectedVersion" });
    expect(error.extensions).toMatchObject({ reason: "STALE_VERSION", currentVersion: 2 });
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).headline).toBe("First save wins");
  });

  it("lets exactly one of two simultaneous saves of the same version through", async () => {
    const story = await draft();
    const results = await Promise.all(
      ["Desk A", "Desk B"].map((headline) => api.graphql(UpdateStoryDocument, { id: story.id, v: 1, input: { headline } }, editor)),
    );
    const succeeded = results.filter((r) => !r.errors);
    const conflicted = results.filter((r) => r.errors?.[0]?.extensions?.code === "CONFLICT");
    expect(succeeded).toHaveLength(1);
    expect(conflicted).toHaveLength(1);
    const saved = await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } });
    expect(saved.version).toBe(2);
    expect(saved.headline).toBe(succeeded[0]!.data!.updateStory.story!.headline);
  });

  it("refuses to publish a story without body or with an uncaptioned photo, naming what is missing", async () => {
    const empty = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Nothing yet" } }, reporter)).createStory.story!;
    ok(await step("submitStoryForReview", empty.id, 1, reporter));
    const noBody = failure(await step("publishStory", empty.id, 2, editor));
    expect(noBody).toMatchObject({ code: "BAD_USER_INPUT", field: "paragraphs" });

    const story = await draft("With a bare photo");
    const photo = ok(await api.graphql(CreatePhotoDocument, { input: { url: "https://images.example/1.jpg" } }, reporter)).createPhoto
      .photo!;
    ok(await api.graphql(AttachPhotoDocument, { input: { storyId: story.id, expectedVersion: 1, photoId: photo.id } }, reporter));
    ok(await step("submitStoryForReview", story.id, 2, reporter));
    const uncaptioned = failure(await step("publishStory", story.id, 3, editor));
    expect(uncaptioned).toMatchObject({ code: "BAD_USER_INPUT", field: "photos[0].caption" });
    expect(uncaptioned.message).toMatch(/no caption.*no credit/);
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).status).toBe("IN_REVIEW");
  });

  it("deletes drafts only", async () => {
    const story = await draft();
    expect(failure(await api.graphql(DeleteStoryDocument, { id: story.id, v: 1 }, otherReporter)).code).toBe("FORBIDDEN");
    expect(ok(await api.graphql(DeleteStoryDocument, { id: story.id, v: 1 }, reporter)).deleteStory.deletedStoryId).toBe(story.id);
    expect(await api.prisma.story.count({ where: { id: story.id } })).toBe(0);
    expect(failure(await api.graphql(DeleteStoryDocument, { id: story.id, v: 1 }, reporter)).code).toBe("NOT_FOUND");
  });

  it("keeps user and token management to admins", async () => {
    const newHire = { input: { name: "New Hire", role: "REPORTER" as const } };
    expect(failure(await api.graphql(CreateUserDocument, newHire, editor)).code).toBe("FORBIDDEN");
    const user = ok(await api.graphql(CreateUserDocument, newHire, admin)).createUser.user!;
    const issued = ok(await api.graphql(IssueTokenDocument, { input: { userId: user.id, label: "laptop" } }, admin)).issueToken;
    expect(ok(await api.graphql(ViewerDocument, {}, issued.token)).viewer).toMatchObject({ name: "New Hire", role: "REPORTER" });
    expect(ok(await api.graphql(RevokeTokensDocument, { userId: user.id }, admin)).revokeTokens).toBe(1);
    const revoked = await api.graphql(ViewerDocument, {}, issued.token);
    expect(revoked.status).toBe(401);
    expect(failure(revoked).code).toBe("UNAUTHENTICATED");
  });

  it("tells the public who they are: nobody", async () => {
    expect(ok(await api.graphql(ViewerDocument, {})).viewer).toBeNull();
  });
});
