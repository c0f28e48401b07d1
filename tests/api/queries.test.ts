import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateSourceDocument,
  CreateStoryDocument,
  MergeSourcesDocument,
  PhotoWithStoriesDocument,
  SourcesDocument,
  type SourcesQuery,
  type SourcesQueryVariables,
  SourceWithAttributionsDocument,
  StoryContentsDocument,
  StoryHeadlinesDocument,
  type StoryHeadlinesQuery,
  type StoryHeadlinesQueryVariables,
  UpdateSourceDocument,
} from "../generated/graphql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

describe("listing and filtering, over HTTP", () => {
  let api: TestApi;
  let editor: string;
  let apStoryId: string;
  let mcKenzieId: string;

  beforeAll(async () => {
    api = await startTestApi();
    editor = (await api.tokenFor("EDITOR")).token;
    apStoryId = (await api.seedApStory()).storyId;
    mcKenzieId = (await api.prisma.source.findFirstOrThrow({ where: { name: "Frank McKenzie" } })).id;
    for (const [headline, dateline, body] of [
      ["Council approves budget", "SPRINGFIELD, Ill.", "The council voted 7-2 on the budget."],
      ["Flooding closes river road", "DAVENPORT, Iowa", "The Mississippi rose above flood stage."],
    ] as const) {
      const story = ok(await api.graphql(CreateStoryDocument, { input: { headline, dateline, paragraphs: [body] } }, editor)).createStory
        .story!;
      await api.prisma.story.update({
        where: { id: story.id },
        data: {
          status: "PUBLISHED",
          publishedAt: new Date(headline.startsWith("Council") ? "2020-11-01T12:00:00Z" : "2020-11-20T12:00:00Z"),
        },
      });
    }
    ok(
      await api.graphql(
        CreateStoryDocument,
        { input: { headline: "Unpublished budget draft", paragraphs: ["Draft budget text."] } },
        editor,
      ),
    );
    // A source no story quotes: staff list it, the public does not.
    ok(await api.graphql(CreateSourceDocument, { input: { name: "Aaron Unused", kind: "PERSON" } }, editor));
  });
  afterAll(() => api?.close());

  // Every count below is of what beforeAll made: no test in this block writes.
  const headlines = async (variables: StoryHeadlinesQueryVariables, token?: string) =>
    ok(await api.graphql(StoryHeadlinesDocument, variables, token)).stories;
  const titles = (page: StoryHeadlinesQuery["stories"]) => page.edges.map((edge) => edge.node.headline);

  it("filters by words, source, dateline, status and publication dates", async () => {
    expect(titles(await headlines({ filter: { text: "BUDGET" } }))).toEqual(["Council approves budget"]);
    expect((await headlines({ filter: { text: "budget" } }, editor)).totalCount).toBe(2);
    expect(titles(await headlines({ filter: { text: "mississippi" } }))).toEqual(["Flooding closes river road"]);
    const bySource = await headlines({ filter: { sourceId: mcKenzieId } });
    expect(titles(bySource)).toEqual(["Iraq considers deepening military ties with Russia"]);
    expect((await headlines({ filter: { dateline: "baghdad" } })).totalCount).toBe(1);
    expect((await headlines({ filter: { status: "DRAFT" } })).totalCount).toBe(0);
    expect((await headlines({ filter: { status: "DRAFT" } }, editor)).totalCount).toBe(1);
    const november = await headlines({ filter: { publishedAfter: "2020-11-01T00:00:00Z", publishedBefore: "2020-11-15T00:00:00Z" } });
    expect(titles(november)).toEqual(["Council approves budget"]);
  });

  it("orders newest published first by default, undated drafts last for staff", async () => {
    // The AP story is published when seeded, after the two dated in 2020.
    expect(titles(await headlines({ first: 10 }, editor))).toEqual([
      "Iraq considers deepening military ties with Russia",
      "Flooding closes river road",
      "Council approves budget",
      "Unpublished budget draft",
    ]);
    // beforeAll wrote them in this order: the seed, Council, Flooding, then the draft.
    expect(titles(await headlines({ first: 10, orderBy: "UPDATED_AT_DESC" }, editor))).toEqual([
      "Unpublished budget draft",
      "Flooding closes river road",
      "Council approves budget",
      "Iraq considers deepening military ties with Russia",
    ]);
  });

  it("lists sources by name, the public only those of published stories", async () => {
    const list = async (token?: string, variables: SourcesQueryVariables = { first: 100 }) =>
      ok(await api.graphql(SourcesDocument, variables, token)).sources;
    const names = (page: SourcesQuery["sources"]) => page.edges.map((edge) => edge.node.name);
    const publicNames = names(await list());
    expect(publicNames).not.toContain("Aaron Unused");
    expect(publicNames).toContain("A senior Iraqi military intelligence official");
    const staff = await list(editor);
    expect(staff.edges[0]?.node.name).toBe("Aaron Unused");
    expect(staff.totalCount).toBe(10);
    const firstPage = await list(editor, { first: 4 });
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect(firstPage.pageInfo.endCursor).not.toBeNull();
    const secondPage = await list(editor, { first: 100, after: firstPage.pageInfo.endCursor });
    expect([...names(firstPage), ...names(secondPage)]).toEqual(names(staff));
    expect((await list(editor, { filter: { kind: "ANONYMOUS" } })).totalCount).toBe(2);
    expect(names(await list(editor, { filter: { name: "maks" } }))).toEqual(["Maksim Maksimov"]);
  });

  it("reads a photo and its stories, and a source and what it said", async () => {
    const placed = ok(await api.graphql(StoryContentsDocument, { id: apStoryId })).story?.photos[0];
    if (!placed) throw new Error("the AP story has no photo for the public");
    const photo = ok(await api.graphql(PhotoWithStoriesDocument, { id: placed.photo.id })).photo;
    expect(photo).toEqual({
      location: "Balad Air Base, Iraq",
      stories: [{ headline: "Iraq considers deepening military ties with Russia" }],
    });
    const source = ok(await api.graphql(SourceWithAttributionsDocument, { id: mcKenzieId })).source;
    expect(source).toEqual({
      name: "Frank McKenzie",
      title: "Marine Gen., top U.S. commander in the Middle East",
      attributions: [
        {
          kind: "DIRECT_QUOTE",
          quote: "in a period of turbulence.",
          story: { headline: "Iraq considers deepening military ties with Russia" },
        },
      ],
    });
  });
});

describe("what the public can learn about anonymous sources", () => {
  let api: TestApi;
  let reporter: string;
  let editor: string;

  beforeAll(async () => {
    api = await startTestApi();
    await api.seedApStory();
    reporter = (await api.tokenFor("REPORTER")).token;
    editor = (await api.tokenFor("EDITOR")).token;
  });
  afterAll(() => api?.close());

  it("is the description used in copy: no label, title or affiliation, not even inside cursors", async () => {
    const sources = ok(await api.graphql(SourcesDocument, { first: 100 })).sources;
    const anonymous = sources.edges.filter((edge) => edge.node.kind === "ANONYMOUS");
    expect(anonymous.map((edge) => edge.node)).toEqual([
      { name: "A senior Iraqi military intelligence official", kind: "ANONYMOUS", title: null, affiliation: null },
      { name: "Senior Iraqi military officials", kind: "ANONYMOUS", title: null, affiliation: null },
    ]);
    const decoded = sources.edges.map((edge) => Buffer.from(edge.cursor, "base64url").toString("utf8")).join(" ");
    expect(decoded).not.toMatch(/AP, Iraq-Russia|intelligence/);
  });

  it("cannot be searched for by the internal label, nor with wildcards", async () => {
    const sourcesNamed = async (name: string, token?: string) =>
      ok(await api.graphql(SourcesDocument, { filter: { name } }, token)).sources.totalCount;
    expect(await sourcesNamed("(AP, Iraq-Russia")).toBe(0);
    expect(await sourcesNamed("senior iraqi military")).toBe(2);
    expect(await sourcesNamed("%")).toBe(0);
    expect(ok(await api.graphql(StoryHeadlinesDocument, { filter: { text: "I_aq" } })).stories.totalCount).toBe(0);
    expect(await sourcesNamed("(AP, Iraq-Russia", editor)).toBe(2);
  });

  it("cannot be changed by a reporter once the source is quoted beyond their own drafts, nor merged into a named source", async () => {
    const anonymous = await api.prisma.source.findFirstOrThrow({ where: { kind: "ANONYMOUS" } });
    const named = await api.prisma.source.findFirstOrThrow({ where: { name: "Frank McKenzie" } });
    const unmask = { kind: "PERSON", anonymousDescription: "", anonymityReason: "", terms: "ON_THE_RECORD" } as const;
    expect(failure(await api.graphql(UpdateSourceDocument, { id: anonymous.id, input: unmask }, reporter)).code).toBe("FORBIDDEN");
    expect(failure(await api.graphql(MergeSourcesDocument, { input: { keepId: named.id, mergeId: anonymous.id } }, editor))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.mergeId",
    });
    expect(await api.prisma.source.findUniqueOrThrow({ where: { id: anonymous.id } })).toMatchObject({ kind: "ANONYMOUS" });
    const onBackground = failure(
      await api.graphql(CreateSourceDocument, { input: { name: "Deputy minister", kind: "PERSON", terms: "ON_BACKGROUND" } }, reporter),
    );
    expect(onBackground).toMatchObject({ code: "BAD_USER_INPUT", field: "input.terms" });
  });
});
