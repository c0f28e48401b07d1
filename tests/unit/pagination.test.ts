import { describe, expect, it } from "vitest";
import { appErrorOf } from "../support/app-error.js";
import {
  cappedCount,
  COUNT_CAP,
  cursorFor,
  decodeCursor,
  encodeCursor,
  keysetOrderBy,
  keysetWhere,
  pageSize,
  readPage,
  type KeysetOrder,
} from "../../src/db/pagination.js";

const ID = "0190a5c4-0000-7000-8000-000000000001";
const byPublished: KeysetOrder<"publishedAt"> = {
  name: "PUBLISHED_AT_DESC",
  field: "publishedAt",
  direction: "desc",
  nullable: true,
  isDate: true,
};
const byName: KeysetOrder<"name"> = { name: "NAME_ASC", field: "name", direction: "asc", nullable: false, isDate: false };

describe("cursors", () => {
  it("round-trip and stay opaque", () => {
    const encoded = encodeCursor({ order: "NAME_ASC", value: "Maksimov", id: ID });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain("Maksimov");
    expect(decodeCursor(encoded, "NAME_ASC")).toEqual({ order: "NAME_ASC", value: "Maksimov", id: ID });
  });

  it("refuse garbage with BAD_USER_INPUT naming the argument", () => {
    for (const bad of ["", "!!!", "bm90IGpzb24", Buffer.from('["x",1]').toString("base64url"), "a".repeat(600)]) {
      const error = appErrorOf(() => decodeCursor(bad, "NAME_ASC"));
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.field).toBe("after");
    }
  });

  it("refuse a cursor from a list in another order", () => {
    const encoded = encodeCursor({ order: "UPDATED_AT_DESC", value: "2020-01-01T00:00:00.000Z", id: ID });
    expect(appErrorOf(() => decodeCursor(encoded, "PUBLISHED_AT_DESC")).message).toMatch(/another order/);
  });
});

describe("keyset filters", () => {
  it("continue a descending nullable order after a dated row with the key's bound stated alone, then into the undated rows", () => {
    const where = keysetWhere(byPublished, { order: byPublished.name, value: "2020-01-23T10:00:00.000Z", id: ID });
    const at = new Date("2020-01-23T10:00:00.000Z");
    expect(where).toEqual([{ publishedAt: { lte: at }, OR: [{ publishedAt: { lt: at } }, { id: { lt: ID } }] }, { publishedAt: null }]);
  });

  it("continue among undated rows by id alone", () => {
    expect(keysetWhere(byPublished, { order: byPublished.name, value: null, id: ID })).toEqual([{ publishedAt: null, id: { lt: ID } }]);
  });

  it("continue an ascending order with gte and gt and no null branch", () => {
    expect(keysetWhere(byName, { order: byName.name, value: "M", id: ID })).toEqual([
      { name: { gte: "M" }, OR: [{ name: { gt: "M" } }, { id: { gt: ID } }] },
    ]);
    expect(appErrorOf(() => keysetWhere(byName, { order: byName.name, value: null, id: ID })).code).toBe("BAD_USER_INPUT");
  });

  it("order with ties broken by id, nulls last", () => {
    expect(keysetOrderBy(byPublished)).toEqual([{ publishedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }]);
    expect(keysetOrderBy(byName)).toEqual([{ name: "asc" }, { id: "asc" }]);
  });

  it("put dates into cursors as ISO strings", () => {
    const cursor = cursorFor(byPublished, { id: ID, publishedAt: new Date("2020-01-23T10:00:00.000Z") });
    expect(decodeCursor(cursor, byPublished.name).value).toBe("2020-01-23T10:00:00.000Z");
  });
});

describe("pages", () => {
  it("bound page sizes", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(appErrorOf(() => pageSize(101)).field).toBe("first");
    expect(appErrorOf(() => pageSize(-1)).code).toBe("BAD_USER_INPUT");
  });

  it("read one more row than asked to know whether a next page exists", async () => {
    const rows = ["a", "b", "c"].map((name, i) => ({ id: ID.replace(/1$/, String(i + 1)), name }));
    let asked = 0;
    const page = await readPage(
      byName,
      2,
      async (take) => {
        asked = take;
        return rows.slice(0, take);
      },
      async () => ({ total: 3, exact: true }),
    );
    expect(asked).toBe(3);
    expect(page.nodes.map((n) => n.name)).toEqual(["a", "b"]);
    expect(page.hasNextPage).toBe(true);
    expect(decodeCursor(page.cursors[1]!, "NAME_ASC")).toMatchObject({ value: "b", id: rows[1]!.id });
    const last = await readPage(
      byName,
      5,
      async () => rows,
      async () => ({ total: 3, exact: true }),
    );
    expect(last.hasNextPage).toBe(false);
  });

  it("count up to the cap exactly, and past it say the cap and that it is not exact", async () => {
    const limits: number[] = [];
    const countOf = (size: number) => (limit: number) => {
      limits.push(limit);
      return Promise.resolve(Math.min(size, limit));
    };
    expect(await cappedCount(countOf(12))).toEqual({ total: 12, exact: true });
    expect(await cappedCount(countOf(COUNT_CAP))).toEqual({ total: COUNT_CAP, exact: true });
    expect(await cappedCount(countOf(COUNT_CAP + 1))).toEqual({ total: COUNT_CAP, exact: false });
    expect(await cappedCount(countOf(50), 20)).toEqual({ total: 20, exact: false });
    expect(limits).toEqual([COUNT_CAP + 1, COUNT_CAP + 1, COUNT_CAP + 1, 21]);
  });
});
