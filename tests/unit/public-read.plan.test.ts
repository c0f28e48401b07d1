import { parse } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import type { GraphQLSchema } from "graphql";
import { newsroomSchema } from "../../src/graphql/schema.js";
import { planOperation } from "../../src/public-read/public-read.plan.js";

describe("which operations one statement answers for the public", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await newsroomSchema();
  });
  const plan = (query: string, operationName?: string) => planOperation(schema, parse(query), operationName);

  it("plans a story by slug or id, from a variable or written in, keeping aliases and the order of the selection", () => {
    expect(plan(`query S($s: String!) { page: story(slug: $s) { headline id kind: __typename leadPhoto { photo { url } } } }`)).toEqual({
      root: "story",
      key: "page",
      by: { slug: { variable: "s" } },
      selection: [
        { key: "headline", name: "headline" },
        { key: "id", name: "id" },
        { key: "kind", name: "__typename" },
        { key: "leadPhoto", name: "leadPhoto", selection: [{ key: "photo", name: "photo", selection: [{ key: "url", name: "url" }] }] },
      ],
    });
    expect(plan(`{ story(id: "0190b8a0-0000-7000-8000-000000000000") { id } }`)).toMatchObject({
      by: { id: { literal: "0190b8a0-0000-7000-8000-000000000000" } },
    });
  });

  it("plans the front page: stories with at most first, edges and node, with the connection's type names", () => {
    expect(plan(`query A { x } query Front { stories(first: 5) { __typename edges { node { slug } } } }`, "Front")).toEqual({
      root: "stories",
      key: "stories",
      first: { literal: 5 },
      connection: {
        typename: "StoryConnection",
        fields: [
          { key: "__typename", name: "__typename" },
          { key: "edges", name: "edges" },
        ],
        edge: { typename: "StoryEdge", fields: [{ key: "node", name: "node" }] },
        node: [{ key: "slug", name: "slug" }],
      },
    });
    expect(plan(`{ stories { edges { node { id } } } }`)).toMatchObject({ root: "stories", first: undefined });
  });

  it("leaves everything else to the resolvers", () => {
    const unplanned = [
      `mutation { killStory(id: "x", expectedVersion: 1, reason: "r") { story { id } } }`,
      `{ story(slug: "a") { id } stories { edges { node { id } } } }`,
      `{ ... on Query { story(slug: "a") { id } } }`,
      `{ story(slug: "a") { ...F } } fragment F on Story { id }`,
      `{ story(slug: "a") { ... on Story { id } } }`,
      `{ story(slug: "a") @include(if: true) { id } }`,
      `{ story(slug: "a") { id @skip(if: false) } }`,
      `query($s: String = "a") { story(slug: $s) { id } }`,
      `{ story(slug: "a", id: "b") { id } }`,
      `{ story { id } }`,
      `{ story(slug: "a") { bodyText } }`,
      `{ story(slug: "a") { bylines { name } } }`,
      `{ story(slug: "a") { history(first: 1) { kind } } }`,
      `{ story(slug: "a") { id id: slug } }`,
      `{ stories(first: 2, after: "c") { edges { node { id } } } }`,
      `{ stories(filter: { status: PUBLISHED }) { edges { node { id } } } }`,
      `{ stories { totalCount edges { node { id } } } }`,
      `{ stories { pageInfo { hasNextPage } edges { node { id } } } }`,
      `{ stories { edges { cursor node { id } } } }`,
      `{ stories { edges { node { id } } edges2: edges { node { slug } } } }`,
      `{ searchStories(query: "flood") { edges { node { id } } } }`,
      `{ killNotice(slug: "a") { notice } }`,
    ];
    for (const query of unplanned) expect(plan(query), query).toBeNull();
    // Two operations and no name: the request is refused before any plan is needed.
    expect(plan(`query A { story(slug: "a") { id } } query B { story(slug: "b") { id } }`)).toBeNull();
  });
});
