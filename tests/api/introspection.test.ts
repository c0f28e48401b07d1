import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DEPTH, MAX_QUERY_COST } from "../../src/graphql/request-limits.js";
import { failure, ok, startTestApi, type TestApi } from "../support/api.js";

/** GraphiQL 4 asks with graphql's default introspection query; other tools ask for every option. */
const GRAPHIQL_INTROSPECTION = getIntrospectionQuery();
const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** The same operation with one data field added at its root. */
function withDataField(introspection: string): string {
  return introspection.replace("query IntrospectionQuery {", "query IntrospectionQuery { stories(first: 1) { totalCount }");
}

/**
 * Within the depth and alias limits, but costed at 15 × 2,112 (each list as ten items), over the
 * cost limit: only the cost limit can refuse it.
 */
const costlySchemaReads = Array.from({ length: 15 }, (_, i) => `s${i}: __schema { types { fields { args { type { name } } } } }`).join(" ");

/** A type reference unwrapped far below the depth limit: pure introspection goes that deep for NON_NULL(LIST(NON_NULL(...))). */
const deepTypeRef = `__type(name: "Story") { name fields { type { ${"ofType { ".repeat(MAX_DEPTH)}name${" }".repeat(MAX_DEPTH)} } } }`;

describe("introspection and the request limits, outside production", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("answers GraphiQL's introspection query, and the fullest one, which cost far more than the limit", async () => {
    for (const query of [GRAPHIQL_INTROSPECTION, FULL_INTROSPECTION]) {
      const schema = ok(await api.rawGraphql(query)).__schema;
      expect(schema.queryType).toMatchObject({ name: "Query" });
      expect(schema.types.map((type: { name: string }) => type.name)).toContain("Story");
    }
  });

  it("still limits the cost and depth of an operation that mixes introspection with data", async () => {
    expect(ok(await api.rawGraphql(`{ ${costlySchemaReads} }`)).s14.types.length).toBeGreaterThan(10);
    const costly = failure(await api.rawGraphql(`{ stories(first: 1) { totalCount } ${costlySchemaReads} }`));
    expect(costly).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "query",
      extensions: { reason: "QUERY_TOO_COSTLY", maxCost: MAX_QUERY_COST },
    });
    expect(costly.extensions.cost).toBeGreaterThan(MAX_QUERY_COST);
    // GraphiQL's query unwraps type references deeper than data may go.
    const deep = await api.rawGraphql(withDataField(GRAPHIQL_INTROSPECTION));
    expect(deep.data ?? undefined).toBeUndefined();
    expect(deep.errors?.[0]?.message).toMatch(/depth limit of 12/);
  });

  it("exempts pure introspection from the depth limit, but not a query that mixes in data, nor a document with another operation", async () => {
    expect(ok(await api.rawGraphql(`{ ${deepTypeRef} }`)).__type.name).toBe("Story");
    const mixed = await api.rawGraphql(`{ viewer { name } ${deepTypeRef} }`);
    expect(mixed.errors?.[0]?.message).toMatch(/depth/i);
    const throughFragment = await api.rawGraphql(`{ ...Both } fragment Both on Query { __typename stories { totalCount } ${deepTypeRef} }`);
    expect(throughFragment.errors?.[0]?.message).toMatch(/depth/i);
    const deepData = `{ stories { edges { node { attributions { story { attributions { story { attributions { story { id } } } } } } } } } }`;
    const twoOperations = await api.rawGraphql(`query Schema { ${deepTypeRef} } query Data ${deepData}`);
    expect(twoOperations.errors?.[0]?.message).toMatch(/depth/i);
  });

  it("keeps the alias limit and graphql's own bound on recursive introspection for pure introspection", async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: __type(name: "Story") { name }`).join(" ");
    expect((await api.rawGraphql(`{ ${aliases} }`)).errors?.[0]?.message).toMatch(/alias/i);
    const recursive = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;
    expect((await api.rawGraphql(recursive)).errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe("introspection in production", () => {
  it("is off, and limited like any query", async () => {
    const api = await startTestApi({ NODE_ENV: "production" });
    try {
      const refused = await api.rawGraphql(GRAPHIQL_INTROSPECTION);
      expect(refused.data ?? undefined).toBeUndefined();
      expect(refused.errors?.map((error) => error.message).join("\n")).toMatch(/introspection/i);
    } finally {
      await api.close();
    }
  });

  it("is on with GRAPHQL_IDE=true, and exempt from the limits there", async () => {
    const api = await startTestApi({ NODE_ENV: "production", GRAPHQL_IDE: "true" });
    try {
      expect(ok(await api.rawGraphql(GRAPHIQL_INTROSPECTION)).__schema.queryType).toMatchObject({ name: "Query" });
      expect(ok(await api.rawGraphql(`{ ${costlySchemaReads} }`)).s0.types.length).toBeGreaterThan(10);
      expect(failure(await api.rawGraphql(`{ viewer { name } ${costlySchemaReads} }`)).extensions.reason).toBe("QUERY_TOO_COSTLY");
    } finally {
      await api.close();
    }
  });
});
