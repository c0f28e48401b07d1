import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api.js";

const show = (label: string, r: unknown) => console.log(`### ${label}\n${JSON.stringify(r, null, 1).slice(0, 3000)}`);

describe("probe3", () => {
  let api: TestApi;
  let rep: string, ed: string;
  beforeAll(async () => {
    api = await startTestApi({ EXPOSE_INTERNAL_ERRORS: "true" });
    rep = (await api.tokenFor("REPORTER")).token;
    ed = (await api.tokenFor("EDITOR")).token;
    await api.seedApStory();
  });
  afterAll(() => api?.close());

  it("updateAttribution lost update", async () => {
    const st = (await api.graphql(`mutation { createStory(input: { headline: "Race", paragraphs: ["He said “hello there” today."] }) { story { id paragraphs { id } } } }`, {}, rep)).data!.createStory.story;
    const src = (await api.graphql(`mutation { createSource(input: { name: "Race Person", kind: PERSON }) { source { id } } }`, {}, rep)).data!.createSource.source;
    let lost = 0;
    for (let i = 0; i < 10; i++) {
      const a = (await api.graphql(`mutation($i: AddAttributionInput!) { addAttribution(input: $i) { attribution { id } } }`, { i: { storyId: st.id, sourceId: src.id, paragraphId: st.paragraphs[0].id, kind: "DIRECT_QUOTE", quote: "hello there" } }, rep)).data!.addAttribution.attribution;
      const [r1, r2] = await Promise.all([
        api.graphql(`mutation($id: ID!) { updateAttribution(id: $id, input: { kind: PARAPHRASE, quote: "greeted" }) { attribution { kind quote method } } }`, { id: a.id }, rep),
        api.graphql(`mutation($id: ID!) { updateAttribution(id: $id, input: { method: INTERVIEW }) { attribution { kind quote method } } }`, { id: a.id }, rep),
      ]);
      const row = await api.prisma.attribution.findUnique({ where: { id: a.id } });
      if (!(row!.kind === "PARAPHRASE" && row!.method === "INTERVIEW")) { lost++; if (lost === 1) show("lost update", { r1, r2, final: { kind: row!.kind, quote: row!.quote, method: row!.method } }); }
    }
    show("lost updates out of 10", lost);
  });

  it("merge anon into named, public view", async () => {
    const anon = (await api.graphql(`{ sources(first: 100, filter: { kind: ANONYMOUS }) { edges { node { id name } } } }`, {}, ed)).data!.sources.edges;
    const named = (await api.graphql(`mutation { createSource(input: { name: "Jane Named Person", kind: PERSON }) { source { id } } }`, {}, ed)).data!.createSource.source;
    await api.graphql(`mutation($k: ID!, $m: ID!) { mergeSources(input: { keepId: $k, mergeId: $m }) { source { id } } }`, { k: named.id, m: anon[0].node.id }, ed);
    const r = await api.graphql(`{ stories { edges { node { version attributions { quote source { name kind } } } } } }`);
    show("public after merge", r.data!.stories.edges[0].node.attributions.filter((a: any) => a.source.name.includes("Jane")));
    show("story history after merge", (await api.graphql(`{ stories { edges { node { version history { action } } } } }`, {}, ed)).data!.stories.edges[0].node.history.slice(-2));
  });

  it("story delete with photo placement / paragraphs", async () => {
    const s = (await api.graphql(`mutation { createStory(input: { headline: "Pos", paragraphs: ["a","b","c"] }) { story { id paragraphs { id } } } }`, {}, rep)).data!.createStory.story;
    show("move to huge", await api.graphql(`mutation($p: ID!) { moveParagraph(input: { paragraphId: $p, expectedVersion: 1, toPosition: 2147483647 }) { story { paragraphs { position text } } } }`, { p: s.paragraphs[0].id }, rep));
    show("add at huge", await api.graphql(`mutation($id: ID!) { addParagraph(input: { storyId: $id, expectedVersion: 2, text: "d", position: 2147483647 }) { story { paragraphs { position text } } } }`, { id: s.id }, rep));
    show("search after edits", await api.graphql(`{ searchStories(query: "Pos") { totalCount } }`, {}, rep));
  });
});
