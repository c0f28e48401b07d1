import { afterAll, beforeAll, describe, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api.js";

const show = (label: string, r: unknown) => console.log(`### ${label}\n${JSON.stringify(r, null, 1).slice(0, 1500)}`);

describe("probe", () => {
  let api: TestApi;
  let rep: string, rep2: string, ed: string;
  let seed: any;
  beforeAll(async () => {
    api = await startTestApi();
    rep = (await api.tokenFor("REPORTER")).token;
    rep2 = (await api.tokenFor("REPORTER")).token;
    ed = (await api.tokenFor("EDITOR")).token;
    seed = await api.seedApStory();
  });
  afterAll(() => api?.close());

  it("public source leaks", async () => {
    const r = await api.graphql(`{ sources(first: 100) { edges { cursor node { id name kind title affiliation anonymousDescription anonymityReason } } } }`);
    show("public sources", r.data?.sources.edges.filter((e: any) => e.node.kind === "ANONYMOUS").map((e: any) => ({ ...e, decoded: Buffer.from(e.cursor, "base64url").toString() })));
    const probe = await api.graphql(`{ sources(filter: { name: "(AP, Iraq-Russia" }) { totalCount edges { node { name kind } } } }`);
    show("public name filter probe", probe);
  });

  it("null in lists / empty ids / odd cursors", async () => {
    show("createStory paragraphs [null]", await api.graphql(`mutation { createStory(input: { headline: "x", paragraphs: ["a", null] }) { story { id } } }`, {}, rep));
    const s = (await api.graphql(`mutation { createStory(input: { headline: "Null test", paragraphs: ["a", "b"] }) { story { id version paragraphs { id } } } }`, {}, rep)).data!.createStory.story;
    show("updateStory paragraphs [null]", await api.graphql(`mutation($id: ID!) { updateStory(id: $id, expectedVersion: 1, input: { paragraphs: ["a", null] }) { story { id } } }`, { id: s.id }, rep));
    const p = (await api.graphql(`mutation { createPhoto(input: { caption: "c", credit: "AP" }) { photo { id } } }`, {}, rep)).data!.createPhoto.photo;
    show("attachPhoto paragraphId ''", await api.graphql(`mutation($i: AttachPhotoInput!) { attachPhoto(input: $i) { story { id } } }`, { i: { storyId: s.id, expectedVersion: 1, photoId: p.id, paragraphId: "" } }, rep));
    const sp = (await api.graphql(`mutation($i: AttachPhotoInput!) { attachPhoto(input: $i) { story { id version photos { id } } } }`, { i: { storyId: s.id, expectedVersion: 1, photoId: p.id } }, rep));
    show("attach ok", sp);
    const spId = sp.data!.attachPhoto.story.photos[0].id;
    show("updateStoryPhoto paragraphId ''", await api.graphql(`mutation($i: UpdateStoryPhotoInput!) { updateStoryPhoto(input: $i) { story { id } } }`, { i: { storyPhotoId: spId, expectedVersion: 2, paragraphId: "" } }, rep));
    const bad = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString("base64url");
    show("stories after dash-uuid cursor", await api.graphql(`query($a: String) { stories(after: $a) { edges { node { id } } } }`, { a: bad(["PUBLISHED_AT_DESC", null, "-".repeat(36)]) }));
    show("search after dash-uuid cursor", await api.graphql(`query($a: String) { searchStories(query: "iraq", after: $a) { edges { node { id } } } }`, { a: bad(["RELEVANCE", 0.5, "-".repeat(36)]) }));
    show("sources after numeric name cursor", await api.graphql(`query($a: String) { sources(after: $a) { edges { node { id } } } }`, { a: bad(["NAME_ASC", 5, "01234567-0123-0123-0123-0123456789ab"]) }));
    show("headline NUL", await api.graphql(`mutation($h: String!) { createStory(input: { headline: $h }) { story { id } } }`, { h: "a\u0000b" }, rep));
    show("search NUL", await api.graphql(`query($q: String!) { searchStories(query: $q) { totalCount } }`, { q: "iraq\u0000" }));
    show("stories text NUL", await api.graphql(`query($q: String) { stories(filter: { text: $q }) { totalCount } }`, { q: "iraq\u0000" }));
    show("stopwords search", await api.graphql(`{ searchStories(query: "the and of") { totalCount edges { node { id } } } }`));
    show("operators search", await api.graphql(`{ searchStories(query: "\\"iraq -russia OR :* & ! (") { totalCount edges { node { id } } } }`));
    show("contains %", await api.graphql(`{ stories(filter: { text: "%" }) { totalCount } }`));
    show("contains _", await api.graphql(`{ stories(filter: { text: "_" }) { totalCount } }`));
    show("expectedVersion 2^31", await api.graphql(`mutation($id: ID!) { updateStory(id: $id, expectedVersion: 2147483648, input: {}) { story { id } } }`, { id: s.id }, rep));
    show("first huge var", await api.graphql(`query($f: Int) { stories(first: $f) { totalCount } }`, { f: 2 ** 40 }));
    show("position huge", await api.graphql(`mutation($id: ID!) { addParagraph(input: { storyId: $id, expectedVersion: 3, text: "x", position: 2147483647 }) { story { paragraphs { position text } } } }`, { id: s.id }, rep));
    show("identityKnownBy [null]", await api.graphql(`mutation { createSource(input: { name: "x", kind: ANONYMOUS, anonymousDescription: "d", anonymityReason: "r", identityKnownBy: [null] }) { source { id } } }`, {}, rep));
    show("story id bogus", await api.graphql(`mutation { updateStory(id: "nope", expectedVersion: 1, input: {}) { story { id } } }`, {}, rep));
  });
});
