import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api.js";

const show = (label: string, r: unknown) => console.log(`### ${label}\n${JSON.stringify(r, null, 1).slice(0, 1200)}`);

describe("probe2", () => {
  let api: TestApi;
  let rep: string, rep2: string, ed: string;
  beforeAll(async () => {
    api = await startTestApi({ EXPOSE_INTERNAL_ERRORS: "true" });
    rep = (await api.tokenFor("REPORTER")).token;
    rep2 = (await api.tokenFor("REPORTER")).token;
    ed = (await api.tokenFor("EDITOR")).token;
    await api.seedApStory();
  });
  afterAll(() => api?.close());

  it("variables", async () => {
    show("first huge var", await api.graphql(`query($f: Int) { stories(first: $f) { totalCount } }`, { f: 2 ** 40 }));
    show("first string var", await api.graphql(`query($f: Int) { stories(first: $f) { totalCount } }`, { f: "abc" }));
    show("missing required var", await api.graphql(`query($q: String!) { searchStories(query: $q) { totalCount } }`, {}));
    show("contains I_aq (wildcard)", await api.graphql(`{ stories(filter: { text: "I_aq" }) { totalCount } }`));
    show("contains backslash", await api.graphql(`{ stories(filter: { text: "\\\\" }) { totalCount } }`));
    show("sources name %", await api.graphql(`{ sources(filter: { name: "%" }) { totalCount } }`));
    show("search backslash", await api.graphql(`{ searchStories(query: "\\\\") { totalCount } }`));
  });

  it("wire import limits", async () => {
    const long = "word ".repeat(2500).trim() + ".";
    const text = `Headline here\n\nBAGHDAD (AP) — The lede is here.\n\n${long}\n`;
    show("wire long paragraph", await api.graphql(`mutation($t: String!) { importWireStory(input: { text: $t }) { story { id } } }`, { t: text }, rep));
    const place = "Abcdefghijklmnopqrstuvwxyzabcde " .repeat(6).trim();
    const text2 = `Headline two\n\n${place}, ${place}, ${place} (AP) — The lede is here.\n\nMore text.\n`;
    show("wire long dateline", await api.graphql(`mutation($t: String!) { importWireStory(input: { text: $t }) { story { id dateline } } }`, { t: text2 }, rep));
    const q = "a".repeat(4100);
    const text3 = `Headline three\n\nBAGHDAD (AP) — The lede is here.\n\n“${q},” said John Smith.\n`;
    show("wire long quote", await api.graphql(`mutation($t: String!) { importWireStory(input: { text: $t }) { story { id } proposedAttributions } }`, { t: text3 }, rep));
  });

  it("reporter side doors", async () => {
    // anonymous source quoted in published seed story
    const anon = (await api.graphql(`{ sources(first: 100, filter: { kind: ANONYMOUS }) { edges { node { id name } } } }`, {}, rep)).data!.sources.edges[0].node;
    const flip = await api.graphql(`mutation($id: ID!) { updateSource(id: $id, input: { kind: PERSON, anonymousDescription: "", anonymityReason: "" }) { source { id name kind } } }`, { id: anon.id }, rep);
    show("reporter flips anonymous source to PERSON", flip);
    const pub = await api.graphql(`{ stories { edges { node { slug sources { name kind } } } } }`);
    show("public view after flip", pub);

    // photo in another reporter's IN_REVIEW story
    const s = (await api.graphql(`mutation { createStory(input: { headline: "Other", paragraphs: ["p"] }) { story { id } } }`, {}, rep2)).data!.createStory.story;
    const ph = (await api.graphql(`mutation { createPhoto(input: { caption: "Original caption", credit: "AP" }) { photo { id } } }`, {}, rep2)).data!.createPhoto.photo;
    await api.graphql(`mutation($i: AttachPhotoInput!) { attachPhoto(input: $i) { story { version } } }`, { i: { storyId: s.id, expectedVersion: 1, photoId: ph.id } }, rep2);
    await api.graphql(`mutation($id: ID!) { submitStoryForReview(id: $id, expectedVersion: 2) { story { status version } } }`, { id: s.id }, rep2);
    show("rep1 edits photo of rep2 IN_REVIEW story", await api.graphql(`mutation($id: ID!) { updatePhoto(id: $id, input: { caption: "Vandalised", credit: "" }) { photo { caption credit } } }`, { id: ph.id }, rep));
    show("story after", await api.graphql(`query($id: ID!) { story(id: $id) { status version photos { caption credit } history { action } } }`, { id: s.id }, ed));
    show("publish after", await api.graphql(`mutation($id: ID!) { publishStory(id: $id, expectedVersion: 3) { story { status } } }`, { id: s.id }, ed));
  });

  it("attribution changes leave no history", async () => {
    const st = (await api.graphql(`mutation { createStory(input: { headline: "Hist", paragraphs: ["He said “hello there” today."] }) { story { id paragraphs { id } } } }`, {}, rep)).data!.createStory.story;
    const src = (await api.graphql(`mutation { createSource(input: { name: "Hist Person", kind: PERSON }) { source { id } } }`, {}, rep)).data!.createSource.source;
    const a = await api.graphql(`mutation($i: AddAttributionInput!) { addAttribution(input: $i) { attribution { id } } }`, { i: { storyId: st.id, sourceId: src.id, paragraphId: st.paragraphs[0].id, kind: "DIRECT_QUOTE", quote: "hello there" } }, rep);
    show("story after attribution", await api.graphql(`query($id: ID!) { story(id: $id) { version history { action version } } }`, { id: st.id }, rep));
  });

  it("merge anonymous into named", async () => {
    const anon = (await api.graphql(`{ sources(first: 100, filter: { kind: ANONYMOUS }) { edges { node { id name } } } }`, {}, ed)).data!.sources.edges;
    const named = (await api.graphql(`mutation { createSource(input: { name: "Named Person", kind: PERSON }) { source { id } } }`, {}, ed)).data!.createSource.source;
    const last = anon[anon.length - 1].node;
    show("merge anon into named", await api.graphql(`mutation($k: ID!, $m: ID!) { mergeSources(input: { keepId: $k, mergeId: $m }) { source { id name kind } } }`, { k: named.id, m: last.id }, ed));
    show("public after merge", await api.graphql(`{ stories { edges { node { slug attributions { quote source { name kind } } } } } }`));
  });

  it("paging", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = (await api.graphql(`mutation { createStory(input: { headline: "Zebra story", paragraphs: ["zebra zebra"] }) { story { id } } }`, {}, ed)).data!.createStory.story;
      await api.graphql(`mutation($id: ID!) { submitStoryForReview(id: $id, expectedVersion: 1) { story { version } } }`, { id: s.id }, ed);
      if (i % 2 === 0) await api.graphql(`mutation($id: ID!) { publishStory(id: $id, expectedVersion: 2) { story { version } } }`, { id: s.id }, ed);
      ids.push(s.id);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: any = await api.graphql(`query($a: String) { searchStories(query: "zebra", first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, { a: after }, ed);
      if (r.errors) { show("search page error", r); break; }
      seen.push(...r.data.searchStories.edges.map((e: any) => e.node.id));
      if (!r.data.searchStories.pageInfo.hasNextPage) break;
      after = r.data.searchStories.pageInfo.endCursor;
    }
    show("search paging", { expected: ids.length, got: seen.length, unique: new Set(seen).size });
    const seen2: string[] = [];
    after = null;
    for (let i = 0; i < 50; i++) {
      const r: any = await api.graphql(`query($a: String) { stories(first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`, { a: after }, ed);
      if (r.errors) { show("page error", r); break; }
      seen2.push(...r.data.stories.edges.map((e: any) => e.node.id));
      if (!r.data.stories.pageInfo.hasNextPage) break;
      after = r.data.stories.pageInfo.endCursor;
    }
    const total = (await api.graphql(`{ stories { totalCount } }`, {}, ed)).data!.stories.totalCount;
    show("stories paging", { total, got: seen2.length, unique: new Set(seen2).size });
  });
});
