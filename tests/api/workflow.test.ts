import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

const CREATE = `mutation($input: CreateStoryInput!) { createStory(input: $input) { story { id slug status version headline paragraphs { id text } } } }`;
const STEP = (name: string) =>
  `mutation($id: ID!, $v: Int!) { ${name}(id: $id, expectedVersion: $v) { story { id status version publishedAt } } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateStoryInput!) { updateStory(id: $id, expectedVersion: $v, input: $input) { story { id version headline slug summary paragraphs { id text } } } }`;

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

  async function draft(headline = "Floods close the river road", token = reporter) {
    return ok(
      await api.graphql(
        CREATE,
        { input: { headline, dateline: "SPRINGFIELD", paragraphs: ["The river rose overnight.", "Crews closed the road."] } },
        token,
      ),
    ).createStory.story;
  }

  it("takes a story from draft through review to publication, and out again", async () => {
    const story = await draft();
    expect(story).toMatchObject({ status: "DRAFT", version: 1, slug: "floods-close-the-river-road" });

    const submitted = ok(await api.graphql(STEP("submitStoryForReview"), { id: story.id, v: 1 }, reporter)).submitStoryForReview.story;
    expect(submitted).toMatchObject({ status: "IN_REVIEW", version: 2, publishedAt: null });

    const beforePublishing = Date.now();
    const published = ok(await api.graphql(STEP("publishStory"), { id: story.id, v: 2 }, editor)).publishStory.story;
    const afterPublishing = Date.now();
    expect(published).toMatchObject({ status: "PUBLISHED", version: 3 });
    expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(beforePublishing);
    expect(Date.parse(published.publishedAt)).toBeLessThanOrEqual(afterPublishing);

    const unpublished = ok(await api.graphql(STEP("unpublishStory"), { id: story.id, v: 3 }, editor)).unpublishStory.story;
    expect(unpublished).toMatchObject({ status: "DRAFT", version: 4, publishedAt: null });

    const archived = ok(await api.graphql(STEP("archiveStory"), { id: story.id, v: 4 }, editor)).archiveStory.story;
    expect(archived).toMatchObject({ status: "ARCHIVED", version: 5 });

    const restored = ok(await api.graphql(STEP("restoreStory"), { id: story.id, v: 5 }, editor)).restoreStory.story;
    expect(restored).toMatchObject({ status: "DRAFT", version: 6 });

    const HISTORY = `query($id: ID!) { story(id: $id) { history { action version fromStatus toStatus actor { name } } } }`;
    const { history } = ok(await api.graphql(HISTORY, { id: story.id }, editor)).story;
    expect(history.map((e: any) => [e.action, e.version, e.fromStatus, e.toStatus])).toEqual([
      ["RESTORED", 6, "ARCHIVED", "DRAFT"],
      ["ARCHIVED", 5, "DRAFT", "ARCHIVED"],
      ["UNPUBLISHED", 4, "PUBLISHED", "DRAFT"],
      ["PUBLISHED", 3, "IN_REVIEW", "PUBLISHED"],
      ["SUBMITTED", 2, "DRAFT", "IN_REVIEW"],
      ["CREATED", 1, null, "DRAFT"],
    ]);
    expect(history.at(-1).actor.name).toBe("Rita Reporter");
    const latest = ok(await api.graphql(`query($id: ID!) { story(id: $id) { history(first: 2) { action } } }`, { id: story.id }, editor))
      .story.history;
    expect(latest).toEqual([{ action: "RESTORED" }, { action: "ARCHIVED" }]);
    ok(await api.graphql(STEP("submitStoryForReview"), { id: story.id, v: 6 }, reporter));
    ok(await api.graphql(STEP("publishStory"), { id: story.id, v: 7 }, editor));
    expect(ok(await api.graphql(HISTORY, { id: story.id })).story.history).toBeNull();
  });

  it("records nothing in the audit trail for a refused change", async () => {
    const story = await draft();
    failure(await api.graphql(UPDATE, { id: story.id, v: 9, input: { headline: "Stale" } }, reporter));
    failure(await api.graphql(STEP("unpublishStory"), { id: story.id, v: 1 }, editor));
    failure(await api.graphql(STEP("publishStory"), { id: story.id, v: 1 }, reporter));
    expect(await api.prisma.storyEvent.findMany({ where: { storyId: story.id }, select: { action: true } })).toEqual([
      { action: "CREATED" },
    ]);
  });

  it("hides drafts from the public and shows published stories", async () => {
    const story = await draft("A draft nobody should read yet");
    const query = `query($id: ID!) { story(id: $id) { headline } }`;
    expect(ok(await api.graphql(query, { id: story.id })).story).toBeNull();
    expect(ok(await api.graphql(query, { id: story.id }, otherReporter)).story.headline).toBe("A draft nobody should read yet");
    const list = ok(await api.graphql(`{ stories(first: 100) { edges { node { id status } } } }`));
    expect(list.stories.edges.every((e: any) => e.node.status === "PUBLISHED")).toBe(true);
  });

  it("refuses illegal transitions with CONFLICT and changes nothing", async () => {
    const story = await draft();
    const error = failure(await api.graphql(STEP("unpublishStory"), { id: story.id, v: 1 }, editor));
    expect(error.code).toBe("CONFLICT");
    expect(error.extensions.reason).toBe("INVALID_TRANSITION");
    expect(error.message).toMatch(/Cannot unpublish a story that is DRAFT/);
    expect(failure(await api.graphql(STEP("restoreStory"), { id: story.id, v: 1 }, editor)).code).toBe("CONFLICT");
    expect(failure(await api.graphql(STEP("returnStoryToDraft"), { id: story.id, v: 1 }, editor)).code).toBe("CONFLICT");
    ok(await api.graphql(STEP("archiveStory"), { id: story.id, v: 1 }, editor));
    for (const step of ["publishStory", "submitStoryForReview", "unpublishStory", "archiveStory"]) {
      expect(failure(await api.graphql(STEP(step), { id: story.id, v: 2 }, editor)).code).toBe("CONFLICT");
    }
    expect(await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).toMatchObject({ status: "ARCHIVED", version: 2 });
  });

  it("lets an editor publish a draft directly, but not a reporter", async () => {
    const story = await draft("Breaking: bridge reopens");
    expect(failure(await api.graphql(STEP("publishStory"), { id: story.id, v: 1 }, reporter)).code).toBe("FORBIDDEN");
    const published = ok(await api.graphql(STEP("publishStory"), { id: story.id, v: 1 }, editor)).publishStory.story;
    expect(published).toMatchObject({ status: "PUBLISHED", version: 2 });
    expect(failure(await api.graphql(STEP("publishStory"), { id: story.id, v: 2 }, editor)).code).toBe("CONFLICT");
  });

  it("keeps each step to the roles allowed to take it", async () => {
    const story = await draft();
    expect(failure(await api.graphql(STEP("submitStoryForReview"), { id: story.id, v: 1 }, otherReporter)).code).toBe("FORBIDDEN");
    expect(failure(await api.graphql(STEP("submitStoryForReview"), { id: story.id, v: 1 })).code).toBe("UNAUTHENTICATED");
    ok(await api.graphql(STEP("submitStoryForReview"), { id: story.id, v: 1 }, reporter));
    for (const step of ["publishStory", "archiveStory", "returnStoryToDraft"]) {
      expect(failure(await api.graphql(STEP(step), { id: story.id, v: 2 }, reporter)).code).toBe("FORBIDDEN");
    }
    // Once in review the copy is the desk's: the reporter can no longer change it.
    expect(failure(await api.graphql(UPDATE, { id: story.id, v: 2, input: { headline: "Changed" } }, reporter)).code).toBe("FORBIDDEN");
    const returned = ok(await api.graphql(STEP("returnStoryToDraft"), { id: story.id, v: 2 }, editor)).returnStoryToDraft.story;
    expect(returned).toMatchObject({ status: "DRAFT", version: 3 });
    ok(await api.graphql(UPDATE, { id: story.id, v: 3, input: { headline: "Changed" } }, reporter));
  });

  it("lets editors edit anyone's story and reporters only their own drafts", async () => {
    const story = await draft();
    expect(failure(await api.graphql(UPDATE, { id: story.id, v: 1, input: { summary: "x" } }, otherReporter)).code).toBe("FORBIDDEN");
    const edited = ok(await api.graphql(UPDATE, { id: story.id, v: 1, input: { summary: "Desk summary" } }, editor)).updateStory.story;
    expect(edited).toMatchObject({ summary: "Desk summary", version: 2 });
  });

  it("refuses a stale expectedVersion with CONFLICT, the current version, and nothing written", async () => {
    const story = await draft();
    ok(await api.graphql(UPDATE, { id: story.id, v: 1, input: { headline: "First save wins" } }, reporter));
    const error = failure(await api.graphql(UPDATE, { id: story.id, v: 1, input: { headline: "Second save loses" } }, reporter));
    expect(error).toMatchObject({ code: "CONFLICT", field: "expectedVersion" });
    expect(error.extensions).toMatchObject({ reason: "STALE_VERSION", currentVersion: 2 });
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).headline).toBe("First save wins");
  });

  it("lets exactly one of two simultaneous saves of the same version through", async () => {
    const story = await draft();
    const results = await Promise.all(
      ["Desk A", "Desk B"].map((headline) => api.graphql(UPDATE, { id: story.id, v: 1, input: { headline } }, editor)),
    );
    const succeeded = results.filter((r) => !r.errors);
    const conflicted = results.filter((r) => r.errors?.[0]?.extensions?.code === "CONFLICT");
    expect(succeeded).toHaveLength(1);
    expect(conflicted).toHaveLength(1);
    const saved = await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } });
    expect(saved.version).toBe(2);
    expect(saved.headline).toBe(succeeded[0]!.data!.updateStory.story.headline);
  });

  it("refuses to publish a story without body or with an uncaptioned photo, naming what is missing", async () => {
    const empty = ok(await api.graphql(CREATE, { input: { headline: "Nothing yet" } }, reporter)).createStory.story;
    ok(await api.graphql(STEP("submitStoryForReview"), { id: empty.id, v: 1 }, reporter));
    const noBody = failure(await api.graphql(STEP("publishStory"), { id: empty.id, v: 2 }, editor));
    expect(noBody).toMatchObject({ code: "BAD_USER_INPUT", field: "paragraphs" });

    const story = await draft("With a bare photo");
    const photo = ok(
      await api.graphql(`mutation { createPhoto(input: { url: "https://images.example/1.jpg" }) { photo { id } } }`, {}, reporter),
    ).createPhoto.photo;
    ok(
      await api.graphql(
        `mutation($s: ID!, $p: ID!) { attachPhoto(input: { storyId: $s, expectedVersion: 1, photoId: $p }) { story { version } } }`,
        { s: story.id, p: photo.id },
        reporter,
      ),
    );
    ok(await api.graphql(STEP("submitStoryForReview"), { id: story.id, v: 2 }, reporter));
    const uncaptioned = failure(await api.graphql(STEP("publishStory"), { id: story.id, v: 3 }, editor));
    expect(uncaptioned).toMatchObject({ code: "BAD_USER_INPUT", field: "photos[0].caption" });
    expect(uncaptioned.message).toMatch(/no caption.*no credit/);
    expect((await api.prisma.story.findUniqueOrThrow({ where: { id: story.id } })).status).toBe("IN_REVIEW");
  });

  it("deletes drafts only", async () => {
    const story = await draft();
    const del = `mutation($id: ID!, $v: Int!) { deleteStory(id: $id, expectedVersion: $v) { deletedStoryId } }`;
    expect(failure(await api.graphql(del, { id: story.id, v: 1 }, otherReporter)).code).toBe("FORBIDDEN");
    expect(ok(await api.graphql(del, { id: story.id, v: 1 }, reporter)).deleteStory.deletedStoryId).toBe(story.id);
    expect(await api.prisma.story.count({ where: { id: story.id } })).toBe(0);
    expect(failure(await api.graphql(del, { id: story.id, v: 1 }, reporter)).code).toBe("NOT_FOUND");
  });

  it("keeps user and token management to admins", async () => {
    const create = `mutation { createUser(input: { name: "New Hire", role: REPORTER }) { user { id role } } }`;
    expect(failure(await api.graphql(create, {}, editor)).code).toBe("FORBIDDEN");
    const user = ok(await api.graphql(create, {}, admin)).createUser.user;
    const issued = ok(
      await api.graphql(
        `mutation($u: ID!) { issueToken(input: { userId: $u, label: "laptop" }) { token user { role } } }`,
        { u: user.id },
        admin,
      ),
    ).issueToken;
    expect(ok(await api.graphql(`{ viewer { name role } }`, {}, issued.token)).viewer).toEqual({ name: "New Hire", role: "REPORTER" });
    expect(ok(await api.graphql(`mutation($u: ID!) { revokeTokens(userId: $u) }`, { u: user.id }, admin)).revokeTokens).toBe(1);
    const revoked = await api.graphql(`{ viewer { name } }`, {}, issued.token);
    expect(revoked.status).toBe(401);
    expect(failure(revoked).code).toBe("UNAUTHENTICATED");
  });

  it("tells the public who they are: nobody", async () => {
    expect(ok(await api.graphql(`{ viewer { id } }`)).viewer).toBeNull();
  });
});
