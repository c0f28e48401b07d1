import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_READ_COMMENT } from "../../src/public-read/public-read.sql.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

/** Every field the one-statement path builds, nested as deep as it goes. */
const STORY_FIELDS = `
  __typename id slug headline summary dateline credit status version publishedAt createdAt updatedAt embargoedUntil
  paragraphs { __typename id position text }
  photos {
    __typename id position role caption storyCaption credit
    photo { __typename id url caption credit takenAt location isFilePhoto altText width height creator copyrightNotice createdAt updatedAt }
    paragraph { id position text }
  }
  leadPhoto { id role caption credit photo { url altText } paragraph { id } }
  attributions {
    __typename id kind quote method confirmed createdAt
    paragraph { id position }
    source { __typename id name kind title affiliation terms isAnonymous anonymousDescription anonymityReason anonymityApprovedAt createdAt updatedAt }
  }`;

/** What a front page asks of each story: the whole of STORY_FIELDS for 100 stories would be over the cost limit. */
const TEASER_FIELDS = "id slug headline summary credit publishedAt leadPhoto { caption credit photo { url altText } }";
const frontPage = (first: string, fields = STORY_FIELDS) =>
  `query Front { stories${first} { __typename edges { __typename node { ${fields} } } } }`;
const storyBySlug = `query Story($slug: String!) { story(slug: $slug) { ${STORY_FIELDS} } }`;
const storyById = `query Story($id: ID!) { story(id: $id) { ${STORY_FIELDS} } }`;
/**
 * The same operation inside an inline fragment: the one-statement path takes no fragments, so the
 * resolvers answer it. Both answers must be the same text, byte for byte.
 */
const byResolvers = (query: string) => query.replace(/\{ (stories|story)/, "{ ... on Query { $1").replace(/\}$/, "} }");

/**
 * The public's story and front pages, built by PostgreSQL in one statement, against the resolvers
 * that build them over Prisma's rows: the same answer for stories in every state the public rules
 * tell apart (retracted, embargoed, killed, drafts), with anonymous sources with and without a
 * description, unconfirmed quotes, placements with and without their own caption and paragraph,
 * and a photo with every field.
 */
describe("public pages read in one statement", () => {
  let api: TestApi;
  const slugs: string[] = [];
  const ids: string[] = [];

  /** Sends the query anonymously; the answer as text, and the statements it took. */
  async function answer(query: string, variables?: Record<string, unknown>) {
    const before = api.statements.length;
    const response = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, body: JSON.parse(text), statements: api.statements.slice(before) };
  }

  /** Both paths answer alike; the one-statement path in one statement, marked as such. */
  async function expectSameAnswer(query: string, variables?: Record<string, unknown>) {
    const fast = await answer(query, variables);
    const slow = await answer(byResolvers(query), variables);
    expect(fast.body.errors).toBeUndefined();
    expect(fast.statements).toHaveLength(1);
    expect(fast.statements[0]).toContain(PUBLIC_READ_COMMENT);
    expect(slow.statements.some((sql) => sql.includes(PUBLIC_READ_COMMENT))).toBe(false);
    expect(fast.text).toBe(slow.text);
    return fast.body.data;
  }

  beforeAll(async () => {
    api = await startTestApi();
    const db = api.prisma;
    const seeded = await api.seedApStory();
    slugs.push(seeded.slug);
    ids.push(seeded.storyId);

    const fullPhoto = await db.photo.create({
      data: {
        url: "https://images.example/flood.jpg",
        caption: "Water rises on Main Street.",
        credit: "AP Photo/Ann Cole",
        takenAt: new Date("2026-03-04T05:06:07.089Z"),
        location: "Dayton, Ohio",
        isFilePhoto: true,
        altText: "A flooded street",
        width: 4000,
        height: 3000,
        creator: "Ann Cole",
        copyrightNotice: "© 2026 AP",
      },
    });
    const barePhoto = await db.photo.create({ data: { caption: "A bare photo" } });
    const crowdPhoto = await db.photo.create({
      data: { url: "https://images.example/crowd.jpg", caption: "A crowd on the levee.", credit: "AP Photo" },
    });
    const named = await db.source.create({ data: { kind: "PERSON", name: "Dana Engineer", title: "Chief engineer", affiliation: "City" } });
    const described = await db.source.create({
      data: {
        kind: "ANONYMOUS",
        name: "Desk label",
        title: "Hidden title",
        affiliation: "Hidden",
        anonymousDescription: "an official at the dam",
      },
    });
    const undescribed = await db.source.create({ data: { kind: "ANONYMOUS", name: "Other label", terms: "ON_BACKGROUND" } });
    const agency = await db.source.create({ data: { kind: "ORGANIZATION", name: "City water agency", terms: "NOT_FOR_ATTRIBUTION" } });

    const hour = 3_600_000;
    const now = Date.now();
    const states = [
      { slug: "flood-published", status: "PUBLISHED", publishedAt: new Date(now - 5 * hour) },
      { slug: "flood-retracted", status: "PUBLISHED", publishedAt: new Date(now - 4 * hour), retractedAt: new Date(now - hour) },
      { slug: "flood-embargoed", status: "PUBLISHED", publishedAt: new Date(now - 3 * hour), embargoedUntil: new Date(now + 24 * hour) },
      { slug: "flood-embargo-lifted", status: "PUBLISHED", publishedAt: new Date(now - 2 * hour), embargoedUntil: new Date(now - hour) },
      {
        slug: "flood-killed",
        status: "KILLED",
        publishedAt: new Date(now - 6 * hour),
        killedAt: new Date(now - hour),
        killNotice: "Wrong town.",
      },
      { slug: "flood-draft", status: "DRAFT" },
      { slug: "flood-archived", status: "ARCHIVED", publishedAt: new Date(now - 7 * hour) },
    ] as const;
    for (const [n, state] of states.entries()) {
      const story = await db.story.create({
        data: {
          ...state,
          headline: `Flood ${n}: the river "crests" \\ and falls`,
          summary: `Summary ${n}, with\nnew lines, a\ttab, a bell \u0007, ünïcode, “curly quotes” and 📰.`,
          dateline: n % 2 ? "DAYTON, Ohio" : null,
          credit: "AP",
          paragraphs: { create: [0, 1, 2].map((position) => ({ position, text: `Paragraph ${position} of story ${n}: "quoted" words.` })) },
        },
        include: { paragraphs: { orderBy: { position: "asc" } } },
      });
      const [lede, second, third] = story.paragraphs;
      await db.storyPhoto.createMany({
        data: [
          { storyId: story.id, photoId: barePhoto.id, position: 2, role: "INLINE", paragraphId: third!.id },
          { storyId: story.id, photoId: fullPhoto.id, position: 0, role: "LEAD", caption: n % 2 ? "The story's own caption." : null },
          { storyId: story.id, photoId: crowdPhoto.id, position: 1, role: "INLINE", paragraphId: second!.id },
        ],
      });
      let added = 0;
      const attribute = (sourceId: string, paragraphId: string, confirmed = true, quote: string | null = `"quoted"`) =>
        db.attribution.create({
          data: {
            storyId: story.id,
            sourceId,
            paragraphId,
            quote,
            confirmed,
            kind: quote ? "DIRECT_QUOTE" : "STATEMENT",
            createdAt: new Date(now - hour + ++added * 1000),
          },
        });
      await attribute(named.id, third!.id);
      await attribute(described.id, lede!.id, true, null);
      await attribute(undescribed.id, second!.id);
      await attribute(agency.id, second!.id, false);
      slugs.push(story.slug);
      ids.push(story.id);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  /** A GET as a frontend or a CDN sends it: the query and variables in the URL, with Apollo's preflight header. */
  async function get(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
    const params = new URLSearchParams({ query });
    if (variables) params.set("variables", JSON.stringify(variables));
    const before = api.laneAnswers();
    const response = await fetch(`${api.url}?${params}`, { headers: { "apollo-require-preflight": "true", ...headers } });
    return { response, text: await response.text(), byLane: api.laneAnswers() > before };
  }

  /** What a client may rely on in an answer's headers; the request id and date differ by nature. */
  const headersOf = (response: Response) =>
    Object.fromEntries(
      ["content-type", "cache-control", "etag", "vary", "access-control-expose-headers", "content-length"].map((name) => [
        name,
        response.headers.get(name),
      ]),
    );

  it("answers the front page at every page size as the resolvers do, in one statement", async () => {
    const published = (await api.prisma.story.count({ where: { status: "PUBLISHED" } })) - 1; // the embargoed one is held back
    for (const first of ["(first: 1)", "(first: 3)", "(first: 100)", "", "(first: 0)"]) {
      const data = await expectSameAnswer(frontPage(first, first === "(first: 100)" ? TEASER_FIELDS : STORY_FIELDS));
      const expected = first === "(first: 0)" ? 0 : first === "(first: 1)" ? 1 : first === "(first: 3)" ? 3 : published;
      expect(data.stories.edges).toHaveLength(expected);
    }
    const all = await expectSameAnswer(frontPage("(first: 100)", TEASER_FIELDS));
    const listed = all.stories.edges.map((edge: any) => edge.node.slug);
    expect(listed).toEqual(expect.arrayContaining(["flood-published", "flood-retracted", "flood-embargo-lifted", slugs[0]]));
    expect(listed).not.toContain("flood-embargoed");
    expect(listed).not.toContain("flood-killed");
    expect(listed).not.toContain("flood-draft");
    // With a variable, as frontends send it.
    const byVariable = await answer("query Front($n: Int) { stories(first: $n) { edges { node { slug } } } }", { n: 2 });
    expect(byVariable.statements).toHaveLength(1);
    expect(byVariable.body.data.stories.edges).toHaveLength(2);
  });

  it("answers every story by slug and by id as the resolvers do, whatever its state", async () => {
    const found: string[] = [];
    for (const [n, slug] of slugs.entries()) {
      const bySlug = await expectSameAnswer(storyBySlug, { slug });
      const byId = await expectSameAnswer(storyById, { id: ids[n] });
      expect(byId).toEqual(bySlug);
      if (bySlug.story) found.push(slug);
    }
    expect(found.sort()).toEqual([slugs[0], "flood-embargo-lifted", "flood-published", "flood-retracted"].sort());
  });

  it("keeps the public rules: a retraction hides the body, anonymous sources show only their description, unconfirmed quotes stay out", async () => {
    const { story: retracted } = await expectSameAnswer(storyBySlug, { slug: "flood-retracted" });
    expect(retracted.headline).toContain("Flood 1");
    expect(retracted).toMatchObject({ summary: null, paragraphs: [], photos: [], leadPhoto: null, attributions: [] });

    const { story } = await expectSameAnswer(storyBySlug, { slug: "flood-published" });
    expect(story.paragraphs.map((p: any) => p.position)).toEqual([0, 1, 2]);
    expect(story.photos.map((p: any) => [p.position, p.caption, p.storyCaption, p.credit, p.paragraph?.position ?? null])).toEqual([
      [0, "Water rises on Main Street.", null, "AP Photo/Ann Cole", null],
      [1, "A crowd on the levee.", null, "AP Photo", 1],
      [2, "A bare photo", null, null, 2],
    ]);
    expect(story.leadPhoto.photo).toEqual({ url: "https://images.example/flood.jpg", altText: "A flooded street" });
    expect(story.photos[0].photo.takenAt).toBe("2026-03-04T05:06:07.089Z");
    expect(story.attributions.map((a: any) => [a.paragraph.position, a.source.name, a.source.title, a.source.affiliation])).toEqual([
      [0, "an official at the dam", null, null],
      [1, "Anonymous source", null, null],
      [2, "Dana Engineer", "Chief engineer", "City"],
    ]);
    expect(story.attributions.every((a: any) => a.confirmed && a.source.anonymityReason === null)).toBe(true);
    const { story: odd } = await expectSameAnswer(storyBySlug, { slug: "flood-embargo-lifted" });
    expect(odd.leadPhoto.caption).toBe("The story's own caption.");
  });

  it("leaves staff, fragments, other arguments and out-of-range values to the resolvers, with their answers and errors", async () => {
    const editor = (await api.tokenFor("EDITOR")).token;
    const before = api.statements.length;
    const draft = ok(await api.rawGraphql(storyBySlug, { slug: "flood-draft" }, editor));
    expect((draft as any).story.slug).toBe("flood-draft");
    expect(api.statements.slice(before).some((sql) => sql.includes(PUBLIC_READ_COMMENT))).toBe(false);

    expect(failure(await api.rawGraphql(frontPage("(first: 101)", "slug")))).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect(failure(await api.rawGraphql(frontPage("(first: $n)", "slug").replace("Front", "Front($n: Int)"), { n: -1 }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "first",
    });
    expect(failure(await api.rawGraphql(storyBySlug, { slug: "x".repeat(201) }))).toMatchObject({ code: "BAD_USER_INPUT", field: "slug" });
    expect(ok(await api.rawGraphql(storyById, { id: "not-a-uuid" }))).toEqual({ story: null });

    for (const query of [
      // A cursor, a filter, a field with arguments, a field this path does not build.
      `{ stories(first: 2) { pageInfo { hasNextPage } edges { cursor node { slug } } } }`,
      `{ stories(first: 2, filter: { dateline: "DAYTON, Ohio" }) { edges { node { slug } } } }`,
      `{ story(slug: "flood-published") { slug bodyText bylines { name } } }`,
    ]) {
      const start = api.statements.length;
      ok(await api.rawGraphql(query));
      expect(api.statements.slice(start).some((sql) => sql.includes(PUBLIC_READ_COMMENT))).toBe(false);
    }
  });

  it("sends a public GET that Apollo has answered from a plan through the lane: the same body and headers, without express or Apollo", async () => {
    const origin = { origin: "https://frontend.example" };
    const first = await get(storyBySlug, { slug: "flood-published" }, origin);
    expect(first.byLane).toBe(false);
    expect(first.response.headers.get("x-request-id")).toBeTruthy();
    for (const slug of ["flood-published", "flood-retracted", slugs[0]!, "flood-draft", "no-such-story"]) {
      const viaLane = await get(storyBySlug, { slug }, origin);
      expect(viaLane.byLane).toBe(true);
      expect(viaLane.response.status).toBe(200);
      // The same request by POST, which only Apollo answers.
      const viaApollo = await answer(storyBySlug, { slug });
      expect(viaLane.text).toBe(viaApollo.text);
      expect(viaLane.response.headers.get("x-request-id")).toBeTruthy();
      if (slug === "flood-published") expect(headersOf(viaLane.response)).toEqual(headersOf(first.response));
    }
    // A conditional GET: 304 with no body, as express answers one. (fetch would add no-cache, which asks for the body.)
    const etag = first.response.headers.get("etag")!;
    const again = await get(storyBySlug, { slug: "flood-published" }, { ...origin, "if-none-match": etag, "cache-control": "max-age=0" });
    expect(again.byLane).toBe(true);
    expect(again.response.status).toBe(304);
    expect(again.text).toBe("");

    // The front page, with its page size as a variable: each page size Apollo has costed first.
    const front = `query Front($n: Int) { stories(first: $n) { edges { node { ${TEASER_FIELDS} } } } }`;
    expect((await get(front, { n: 3 })).byLane).toBe(false);
    const three = await get(front, { n: 3 });
    expect(three.byLane).toBe(true);
    expect(JSON.parse(three.text).data.stories.edges).toHaveLength(3);
    expect(three.text).toBe((await answer(front, { n: 3 })).text);
    expect((await get(front, { n: 4 })).byLane).toBe(false);
    expect((await get(front, { n: 4 })).byLane).toBe(true);
  });

  it("leaves to Apollo what it has not seen answered so: staff, another Accept, other queries, bad variables, a failed read", async () => {
    const query = `query Lead($slug: String!) { story(slug: $slug) { headline leadPhoto { caption } } }`;
    expect((await get(query, { slug: "flood-published" })).byLane).toBe(false);
    expect((await get(query, { slug: "flood-published" })).byLane).toBe(true);

    const editor = (await api.tokenFor("EDITOR")).token;
    const staff = await get(query, { slug: "flood-draft" }, { authorization: `Bearer ${editor}` });
    expect(staff.byLane).toBe(false);
    expect(JSON.parse(staff.text).data.story.headline).toContain("Flood 5");

    const graphqlJson = { accept: "application/graphql-response+json" };
    const otherAccept = await get(query, { slug: "flood-published" }, graphqlJson);
    expect(otherAccept.byLane).toBe(false);
    const learnt = await get(query, { slug: "flood-published" }, graphqlJson);
    expect(learnt.byLane).toBe(true);
    expect(learnt.response.headers.get("content-type")).toBe(otherAccept.response.headers.get("content-type"));

    const tooLong = await get(query, { slug: "x".repeat(201) });
    expect(tooLong.byLane).toBe(false);
    expect(JSON.parse(tooLong.text).errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "slug" });
    const wrongType = await get(query, { slug: 42 });
    expect(wrongType.byLane).toBe(false);
    expect(JSON.parse(wrongType.text).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const noPreflight = await fetch(`${api.url}?${new URLSearchParams({ query, variables: JSON.stringify({ slug: "flood-published" }) })}`);
    expect(noPreflight.status).toBe(400);

    // The read fails (its table is gone for a moment): Apollo answers, as it answers any failure.
    await api.prisma.$executeRawUnsafe(`ALTER TABLE story_photos RENAME TO story_photos_away`);
    try {
      const failed = await get(query, { slug: "flood-published" });
      expect(failed.byLane).toBe(false);
      expect(failed.response.status).toBeLessThan(500);
      expect(JSON.parse(failed.text).errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await api.prisma.$executeRawUnsafe(`ALTER TABLE story_photos_away RENAME TO story_photos`);
    }
    expect((await get(query, { slug: "flood-published" })).byLane).toBe(true);
  });
});
