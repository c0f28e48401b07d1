import { readFileSync } from "node:fs";
import path from "node:path";
import { buildSchema as parseSdl } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../src/config.js";
import { declaredAccess } from "../src/graphql/access.js";
import { newsroomSchema, printNewsroomSchema } from "../src/graphql/schema.js";

describe("the GraphQL contract", () => {
  it("is the committed schema.graphql; run `npm run schema:print` after changing the schema", async () => {
    const committed = readFileSync(path.join(projectRoot, "schema.graphql"), "utf8");
    expect(await printNewsroomSchema()).toBe(committed);
  });

  it("keeps the operations and fields frontends rely on", () => {
    const schema = parseSdl(readFileSync(path.join(projectRoot, "schema.graphql"), "utf8"));
    const fields = (type: string) => Object.keys((schema.getType(type) as any).getFields());
    expect(fields("Query")).toEqual(
      expect.arrayContaining(["story", "stories", "searchStories", "photo", "source", "sources", "viewer", "killNotice"]),
    );
    expect(fields("Mutation")).toEqual(
      expect.arrayContaining([
        "createStory",
        "updateStory",
        "submitStoryForReview",
        "publishStory",
        "unpublishStory",
        "archiveStory",
        "killStory",
        "createSource",
        "addAttribution",
      ]),
    );
    expect(fields("Story")).toEqual(
      expect.arrayContaining([
        "id",
        "slug",
        "headline",
        "summary",
        "dateline",
        "credit",
        "status",
        "version",
        "publishedAt",
        "createdAt",
        "updatedAt",
        "paragraphs",
        "bodyText",
        "photos",
        "attributions",
        "sources",
        "embargoedUntil",
      ]),
    );
    expect(fields("KillNotice")).toEqual(["killedAt", "notice", "slug"]);
    expect(fields("Photo")).toEqual(
      expect.arrayContaining(["id", "caption", "credit", "takenAt", "location", "isFilePhoto", "altText", "stories"]),
    );
    expect(fields("Source")).toEqual(
      expect.arrayContaining([
        "id",
        "name",
        "kind",
        "title",
        "affiliation",
        "isAnonymous",
        "anonymousDescription",
        "anonymityReason",
        "attributions",
      ]),
    );
    expect(fields("StoryConnection")).toEqual(["edges", "pageInfo", "totalCount", "totalCountIsExact"]);
    expect(fields("PageInfo")).toEqual(expect.arrayContaining(["hasNextPage", "endCursor"]));
    const enumValues = (type: string) => (schema.getType(type) as any).getValues().map((v: any) => v.name);
    expect(enumValues("StoryStatus")).toEqual(["ARCHIVED", "DRAFT", "IN_REVIEW", "KILLED", "PUBLISHED"]);
    expect(enumValues("SourceKind")).toEqual(["ANONYMOUS", "DOCUMENT", "ORGANIZATION", "PERSON"]);
    expect(enumValues("AttributionKind")).toEqual(["DIRECT_QUOTE", "PARAPHRASE", "STATEMENT"]);
  });

  it("declares who may call every query, mutation and subscription", async () => {
    await newsroomSchema();
    const storage = getMetadataStorage();
    const operations = [...storage.queries, ...storage.mutations, ...storage.subscriptions].map(
      (op) => `${op.target.name}.${op.methodName}`,
    );
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((op) => !declaredAccess.has(op))).toEqual([]);
    const publicOperations = operations.filter((op) => declaredAccess.get(op) === "PUBLIC").sort();
    expect(publicOperations).toEqual([
      "LiveResolver.storyChanged",
      "PhotoResolver.photo",
      "SourceResolver.source",
      "SourceResolver.sources",
      "StoryResolver.killNotice",
      "StoryResolver.searchStories",
      "StoryResolver.stories",
      "StoryResolver.story",
      "UserResolver.viewer",
    ]);
    expect(storage.mutations.every((m) => declaredAccess.get(`${m.target.name}.${m.methodName}`) !== "PUBLIC")).toBe(true);
  });
});
