import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    const create = `mutation($input: CreateStoryInput!) { createStory(input: $input) { story { id } } }`;
    for (const [headline, dateline, body] of [
      ["Council approves budget", "SPRINGFIELD, Ill.", "The council voted 7-2 on the budget."],
      ["Flooding closes river road", "DAVENPORT, Iowa", "The Mississippi rose above flood stage."],
    ] as const) {
      const story = ok(await api.rawGraphql(create, { input: { headline, dateline, paragraphs: [body] } }, editor)).createStory.story;
      await api.prisma.story.update({
        where: { id: story.id },
        data: {
          status: "PUBLISHED",
          publishedAt: new Date(headline.startsWith("Council") ? "2026-11-01T12:00:00Z" : "2026-11-20T12:00:00Z"),
        },
      });
    }
    ok(await api.rawGraphql(create, { input: { headline: "Unpublished budget draft", paragraphs: ["Draft budget text."] } }, editor));
  });
  afterAll(() => api?.close());

  const headlines = async (args: string, token?: string) =>
    ok(await api.rawGraphql(`{ stories(${args}) { totalCount edges { node { headline } } } }`, {}, token)).stories;

  it("filters by words, source, dateline, status and publication dates", async () => {
    expect((await headlines(`filter: { text: "BUDGET" }`)).edges.map((e: any) => e.node.headline)).toEqual(["Council approves budget"]);
    expect((await headlines(`filter: { text: "budget" }`, editor)).totalCount).toBe(2);
    expect((await headlines(`filter: { text: "mississippi" }`)).edges.map((e: any) => e.node.headline)).toEqual([
      "Flooding closes river road",
    ]);
    const bySource = await headlines(`filter: { sourceId: "${mcKenzieId}" }`);
    expect(bySource.edges.map((e: any) => e.node.headline)).toEqual(["Iraq considers deepening military ties with Russia"]);
    expect((await headlines(`filter: { dateline: "baghdad" }`)).totalCount).toBe(1);
    expect((await headlines(`filter: { status: DRAFT }`)).totalCount).toBe(0);
    expect((await headlines(`filter: { status: DRAFT }`, editor)).totalCount).toBe(1);
    const november = await headlines(`filter: { publishedAfter: "2026-11-01T00:00:00Z", publishedBefore: "2026-11-15T00:00:00Z" }`);
    expect(november.edges.map((e: any) => e.node.headline)).toEqual(["Council approves budget"]);
  });

  it("orders newest published first by default, undated drafts last for staff", async () => {
    const all = await headlines(`first: 10`, editor);
    const order = all.edges.map((e: any) => e.node.headline);
    expect(order.at(-1)).toBe("Unpublished budget draft");
    expect(order.indexOf("Flooding closes river road")).toBeLessThan(order.indexOf("Council approves budget"));
    const byUpdate = await headlines(`first: 10, orderBy: UPDATED_AT_DESC`, editor);
    expect(byUpdate.totalCount).toBe(4);
  });

  it("lists sources by name, the public only those of published stories", async () => {
    ok(await api.rawGraphql(`mutation { createSource(input: { name: "Aaron Unused", kind: PERSON }) { source { id } } }`, {}, editor));
    const list = async (token?: string, args = "first: 100") =>
      ok(await api.rawGraphql(`{ sources(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`, {}, token))
        .sources;
    const publicNames = (await list()).edges.map((e: any) => e.node.name);
    expect(publicNames).not.toContain("Aaron Unused");
    expect(publicNames).toContain("A senior Iraqi military intelligence official");
    const staff = await list(editor);
    expect(staff.edges[0].node.name).toBe("Aaron Unused");
    expect(staff.totalCount).toBe(10);
    const firstPage = await list(editor, "first: 4");
    const secondPage = await list(editor, `first: 100, after: "${firstPage.pageInfo.endCursor}"`);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect([...firstPage.edges, ...secondPage.edges].map((e: any) => e.node.name)).toEqual(staff.edges.map((e: any) => e.node.name));
    expect((await list(editor, `filter: { kind: ANONYMOUS }`)).totalCount).toBe(2);
    expect((await list(editor, `filter: { name: "maks" }`)).edges.map((e: any) => e.node.name)).toEqual(["Maksim Maksimov"]);
  });

  it("reads a photo and its stories, and a source and what it said", async () => {
    const story = ok(await api.rawGraphql(`query($id: ID!) { story(id: $id) { photos { photo { id } } } }`, { id: apStoryId })).story;
    const photo = ok(
      await api.rawGraphql(`query($id: ID!) { photo(id: $id) { location stories { headline } } }`, { id: story.photos[0].photo.id }),
    ).photo;
    expect(photo).toEqual({
      location: "Balad Air Base, Iraq",
      stories: [{ headline: "Iraq considers deepening military ties with Russia" }],
    });
    const source = ok(
      await api.rawGraphql(`query($id: ID!) { source(id: $id) { name title attributions { kind quote story { headline } } } }`, {
        id: mcKenzieId,
      }),
    ).source;
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
    const sources = ok(await api.rawGraphql(`{ sources(first: 100) { edges { cursor node { name kind title affiliation } } } }`)).sources;
    const anonymous = sources.edges.filter((e: any) => e.node.kind === "ANONYMOUS");
    expect(anonymous.map((e: any) => e.node)).toEqual([
      { name: "A senior Iraqi military intelligence official", kind: "ANONYMOUS", title: null, affiliation: null },
      { name: "Senior Iraqi military officials", kind: "ANONYMOUS", title: null, affiliation: null },
    ]);
    const decoded = sources.edges.map((e: any) => Buffer.from(e.cursor, "base64url").toString("utf8")).join(" ");
    expect(decoded).not.toMatch(/AP, Iraq-Russia|intelligence/);
  });

  it("cannot be searched for by the internal label, nor with wildcards", async () => {
    const byLabel = ok(await api.rawGraphql(`{ sources(filter: { name: "(AP, Iraq-Russia" }) { totalCount } }`)).sources;
    expect(byLabel.totalCount).toBe(0);
    expect(ok(await api.rawGraphql(`{ sources(filter: { name: "senior iraqi military" }) { totalCount } }`)).sources.totalCount).toBe(2);
    expect(ok(await api.rawGraphql(`{ sources(filter: { name: "%" }) { totalCount } }`)).sources.totalCount).toBe(0);
    expect(ok(await api.rawGraphql(`{ stories(filter: { text: "I_aq" }) { totalCount } }`)).stories.totalCount).toBe(0);
    expect(
      ok(await api.rawGraphql(`{ sources(filter: { name: "(AP, Iraq-Russia" }) { totalCount } }`, {}, editor)).sources.totalCount,
    ).toBe(2);
  });

  it("cannot be changed by a reporter once the source is quoted beyond their own drafts, nor merged into a named source", async () => {
    const anonymous = await api.prisma.source.findFirstOrThrow({ where: { kind: "ANONYMOUS" } });
    const named = await api.prisma.source.findFirstOrThrow({ where: { name: "Frank McKenzie" } });
    const unmask = `mutation($id: ID!) { updateSource(id: $id, input: { kind: PERSON, anonymousDescription: "", anonymityReason: "", terms: ON_THE_RECORD }) { source { kind } } }`;
    expect(failure(await api.rawGraphql(unmask, { id: anonymous.id }, reporter)).code).toBe("FORBIDDEN");
    const merge = `mutation($k: ID!, $m: ID!) { mergeSources(input: { keepId: $k, mergeId: $m }) { source { id } } }`;
    expect(failure(await api.rawGraphql(merge, { k: named.id, m: anonymous.id }, editor))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.mergeId",
    });
    expect(await api.prisma.source.findUniqueOrThrow({ where: { id: anonymous.id } })).toMatchObject({ kind: "ANONYMOUS" });
    const onBackground = failure(
      await api.rawGraphql(
        `mutation { createSource(input: { name: "Deputy minister", kind: PERSON, terms: ON_BACKGROUND }) { source { id } } }`,
        {},
        reporter,
      ),
    );
    expect(onBackground).toMatchObject({ code: "BAD_USER_INPUT", field: "input.terms" });
  });
});
