import { badInput } from "../errors.js";
import { isStorableDate } from "./column-limits.js";
import { isUuid } from "./ids.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Lists inside an item (a source's attributions, a story's history) are cut here unless asked otherwise. */
export const DEFAULT_NESTED_SIZE = 50;

/** Whether a page may be this long: from 0 to MAX_PAGE_SIZE items. */
export const isPageSize = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_PAGE_SIZE;

export function pageSize(first: number | null | undefined, field = "first", fallback = DEFAULT_PAGE_SIZE): number {
  if (first === null || first === undefined) return fallback;
  if (!isPageSize(first)) {
    throw badInput(field, `${field} must be from 0 to ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * A cursor holds the sort key and id of the last row seen, so a page continues after that row
 * even when rows are added or removed in between (keyset pagination, not offsets). It is opaque
 * to clients: base64url of JSON, tagged with the ordering it belongs to.
 */
export interface Cursor {
  order: string;
  value: string | number | null;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.order, cursor.value, cursor.id]), "utf8").toString("base64url");
}

export function decodeCursor(encoded: string, expectedOrder: string, field = "after"): Cursor {
  const invalid = () => badInput(field, `${field} is not a cursor from this list; pass an endCursor you were given`);
  if (encoded.length > 512 || !/^[A-Za-z0-9_-]*$/.test(encoded)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [order, value, id] = parsed as unknown[];
  if (typeof order !== "string" || typeof id !== "string") throw invalid();
  if (value !== null && typeof value !== "string" && typeof value !== "number") throw invalid();
  if (!isUuid(id)) throw invalid();
  if (order !== expectedOrder) {
    throw badInput(field, `${field} belongs to a list in another order (${order}); start again without it`);
  }
  return { order, value, id };
}

export interface KeysetOrder<Field extends string> {
  name: string;
  field: Field;
  direction: "asc" | "desc";
  /** Rows without a key sort last in either direction, as the index on the key sorts them (NULLS LAST). */
  nullable: boolean;
  /** Dates travel in cursors as ISO strings. */
  isDate: boolean;
}

type Comparison = "lt" | "gt";
type BoundComparison = "lte" | "gte";

/**
 * The Prisma filters for "rows after the cursor" in the given order, ties broken by id, to be read
 * one after the other until a page is full. "key < v OR (key = v AND id < c)" is what after means,
 * but PostgreSQL cannot start an index scan from an OR: it would read the list from its start and
 * filter out every row before the cursor. So the key's own bound (key <= v) is stated beside it,
 * which the index on (key, id) does bound, and the OR only sorts out ties at v. In a nullable order
 * the rows without a key follow all the others, and no one range of the index holds both: they are
 * a second filter (key IS NULL), read only when the dated rows run out.
 */
export function keysetWhere<Field extends string>(order: KeysetOrder<Field>, cursor: Cursor): Record<string, unknown>[] {
  const after: Comparison = order.direction === "desc" ? "lt" : "gt";
  const afterOrAt: BoundComparison = order.direction === "desc" ? "lte" : "gte";
  if (cursor.value === null) {
    if (!order.nullable) throw badInput("after", "after is not a cursor from this list");
    return [{ [order.field]: null, id: { [after]: cursor.id } }];
  }
  if (!order.isDate && typeof cursor.value !== "string") throw badInput("after", "after is not a cursor from this list");
  const value = order.isDate ? parseCursorDate(cursor.value) : cursor.value;
  const dated = {
    [order.field]: { [afterOrAt]: value },
    OR: [{ [order.field]: { [after]: value } }, { id: { [after]: cursor.id } }],
  };
  return order.nullable ? [dated, { [order.field]: null }] : [dated];
}

export function keysetOrderBy<Field extends string>(order: KeysetOrder<Field>): Record<string, unknown>[] {
  const key = order.nullable ? { sort: order.direction, nulls: "last" } : order.direction;
  return [{ [order.field]: key }, { id: order.direction }];
}

export function cursorFor<Field extends string>(order: KeysetOrder<Field>, row: Record<Field, unknown> & { id: string }): string {
  const raw = row[order.field];
  const value = raw instanceof Date ? raw.toISOString() : (raw as string | number | null);
  return encodeCursor({ order: order.name, value, id: row.id });
}

function parseCursorDate(value: string | number): Date {
  const date = new Date(value);
  if (typeof value !== "string" || !isStorableDate(date)) throw badInput("after", "after is not a cursor from this list");
  return date;
}

/** How many items a list holds: exact, or, for a list counted only up to a cap and longer, the cap. */
export interface ListCount {
  total: number;
  exact: boolean;
}

/**
 * How far a list is counted when nothing kept answers its length: counting every match of an
 * arbitrary filter on each request would cost as much as reading the whole list.
 */
export const COUNT_CAP = 1_000;

/** Counts at most cap + 1 items (countUpTo takes that limit): exact up to the cap, the cap and not exact past it. */
export async function cappedCount(countUpTo: (limit: number) => Promise<number>, cap = COUNT_CAP): Promise<ListCount> {
  const counted = await countUpTo(cap + 1);
  return counted > cap ? { total: cap, exact: false } : { total: counted, exact: true };
}

export interface Page<Node> {
  nodes: Node[];
  cursors: string[];
  hasNextPage: boolean;
  /** Called only when a client asks for the count. */
  count: () => Promise<ListCount>;
}

/** Reads one row more than asked, to know whether another page follows without counting. */
export async function readPage<Field extends string, Row extends Record<Field, unknown> & { id: string }>(
  order: KeysetOrder<Field>,
  first: number,
  fetch: (take: number) => Promise<Row[]>,
  count: () => Promise<ListCount>,
): Promise<Page<Row>> {
  const rows = first === 0 ? [] : await fetch(first + 1);
  const nodes = rows.slice(0, first);
  return {
    nodes,
    cursors: nodes.map((row) => cursorFor(order, row)),
    hasNextPage: rows.length > first,
    count,
  };
}

export interface KeysetQuery {
  where: object;
  orderBy: Record<string, unknown>[];
  take: number;
}

/**
 * One page of a list in a keyset order: the filter, continued after the cursor, read with one row
 * to spare. After a cursor, the filters of keysetWhere are read in turn until the page is full.
 */
export function keysetPage<Field extends string, Row extends Record<Field, unknown> & { id: string }>(
  order: KeysetOrder<Field>,
  args: { first?: number | null; after?: string | null },
  where: object,
  findMany: (query: KeysetQuery) => Promise<Row[]>,
  count: () => Promise<ListCount>,
): Promise<Page<Row>> {
  const first = pageSize(args.first);
  const continuations = args.after ? keysetWhere(order, decodeCursor(args.after, order.name)) : [undefined];
  const orderBy = keysetOrderBy(order);
  return readPage(
    order,
    first,
    async (take) => {
      const rows: Row[] = [];
      for (const after of continuations) {
        if (rows.length === take) break;
        rows.push(...(await findMany({ where: after ? { AND: [where, after] } : where, orderBy, take: take - rows.length })));
      }
      return rows;
    },
    count,
  );
}
