import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { isPureIntrospection } from "../../src/graphql/introspection.js";

const pure = (query: string) => isPureIntrospection(parse(query));

describe("isPureIntrospection", () => {
  it("accepts documents that select only __schema, __type and __typename at the root", () => {
    expect(pure(`{ __schema { queryType { name } } }`)).toBe(true);
    expect(pure(`{ __type(name: "Story") { fields { name } } __typename }`)).toBe(true);
    expect(pure(`query A { __typename } query B { __schema { types { name } } }`)).toBe(true);
  });

  it("looks through fragments and inline fragments", () => {
    expect(pure(`{ ...Schema } fragment Schema on Query { __schema { types { name } } }`)).toBe(true);
    expect(pure(`{ ... on Query { __typename } }`)).toBe(true);
    expect(pure(`{ ...Outer } fragment Outer on Query { ...Inner } fragment Inner on Query { __typename }`)).toBe(true);
  });

  it("refuses a data field anywhere at the root, in any operation, also behind a fragment", () => {
    expect(pure(`{ __schema { types { name } } stories { totalCount } }`)).toBe(false);
    expect(pure(`{ ...Mixed } fragment Mixed on Query { __typename stories { totalCount } }`)).toBe(false);
    expect(pure(`{ ... on Query { ... on Query { viewer { name } } } }`)).toBe(false);
    expect(pure(`query A { __typename } query B { stories { totalCount } }`)).toBe(false);
    // Data fields below an introspection field are the schema's own fields, but a data field at the
    // root is not, whatever its selection contains.
    expect(pure(`{ stories { __typename } }`)).toBe(false);
  });

  it("refuses what is not an operation, or spreads it cannot follow, without looping on a cycle", () => {
    expect(pure(`fragment Lone on Query { __typename }`)).toBe(false);
    expect(pure(`{ ...Missing }`)).toBe(false);
    expect(pure(`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`)).toBe(false);
  });
});
