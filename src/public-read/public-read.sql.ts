import { readableAttributionsOfStoryWhere } from "../attributions/attribution.rules.js";
import { preparedStatementMark } from "../db/prepared-statements.js";
import { whereToSql } from "../db/where-sql.js";
import { Prisma } from "../generated/prisma/client.js";
import { readableBodyOfStoryWhere, readableStoriesSql } from "../stories/story.rules.js";

/**
 * The public's story pages as one SQL statement that builds their JSON in PostgreSQL, as
 * PostGraphile and Hasura do: the field resolvers' public rules, written once more as SQL over the
 * same visibility builders (story.rules.ts, attribution.rules.ts). Only for a viewer without a
 * token: staff reads keep the resolvers. tests/api/public-read.test.ts holds both paths to the
 * same answer, field by field, on stories that exercise every rule below.
 */

export type PublicTypeName = "Story" | "Paragraph" | "StoryPhoto" | "Photo" | "Attribution" | "Source";

/** One field of a selection: its key in the answer (the alias, or the name) and what it selects. */
export interface SelectedField {
  key: string;
  name: string;
  /** For a field of objects, what of each is selected. */
  selection?: SelectedField[];
}

/** The type of the objects a field holds, for the fields that hold objects. */
type ObjectField = { of: PublicTypeName; sql: (table: string, object: (table: string) => Prisma.Sql, alias: () => string) => Prisma.Sql };
type LeafField = { sql: (table: string) => Prisma.Sql };
type FieldSql = ObjectField | LeafField;

const column = (name: string) => (table: string) => Prisma.raw(`${table}."${name}"`);
/** As JSON.stringify writes a Date: UTC, milliseconds (every column is timestamptz(3)), and a Z. */
const isoTime = (name: string) => (table: string) =>
  Prisma.raw(`to_char(${table}."${name}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const always = (value: Prisma.Sql) => () => value;

/** Whether the public may read the body of story `table` (not retracted): its summary, paragraphs, photos and quotes. */
const bodyReadable = (table: string) => whereToSql(readableBodyOfStoryWhere(null), table);
const EMPTY_LIST = Prisma.sql`'[]'`;

/** A list of objects as the text of a JSON array in the given order, [] when there is none. */
const jsonList = (object: Prisma.Sql, from: Prisma.Sql, order: Prisma.Sql) =>
  Prisma.sql`COALESCE((SELECT '[' || string_agg(${object}, ',' ORDER BY ${order}) || ']' ${from}), ${EMPTY_LIST})`;

/** Anonymous sources show the public only how copy describes them (source.rules.ts publicView). */
const ANONYMOUS = Prisma.sql`'ANONYMOUS'`;
const namedOnly = (name: string) => (table: string) =>
  Prisma.sql`CASE WHEN ${Prisma.raw(`${table}.kind`)} = ${ANONYMOUS} THEN NULL ELSE ${column(name)(table)} END`;

/** Placements with their photos, which a placement's caption and credit fall back to: the photo is `<alias>_photo`. */
const PLACEMENTS = (sp: string) => `story_photos ${sp} JOIN photos ${sp}_photo ON ${sp}_photo.id = ${sp}.photo_id`;
/** Attributions with their paragraphs and sources, as `<alias>_paragraph` and `<alias>_source`. */
const ATTRIBUTIONS = (a: string) =>
  `attributions ${a} JOIN paragraphs ${a}_paragraph ON ${a}_paragraph.id = ${a}.paragraph_id JOIN sources ${a}_source ON ${a}_source.id = ${a}.source_id`;

const FIELDS: Record<PublicTypeName, Record<string, FieldSql>> = {
  Story: {
    id: { sql: column("id") },
    slug: { sql: column("slug") },
    headline: { sql: column("headline") },
    summary: { sql: (s: string) => Prisma.sql`CASE WHEN ${bodyReadable(s)} THEN ${column("summary")(s)} END` },
    dateline: { sql: column("dateline") },
    credit: { sql: column("credit") },
    status: { sql: column("status") },
    version: { sql: column("version") },
    publishedAt: { sql: isoTime("published_at") },
    createdAt: { sql: isoTime("created_at") },
    updatedAt: { sql: isoTime("updated_at") },
    // Staff only: the public never reads an embargoed story, and null here.
    embargoedUntil: { sql: always(Prisma.sql`NULL::text`) },
    paragraphs: {
      of: "Paragraph",
      sql: (s, object, alias) => {
        const p = alias();
        return Prisma.sql`CASE WHEN ${bodyReadable(s)} THEN ${jsonList(
          object(p),
          Prisma.raw(`FROM paragraphs ${p} WHERE ${p}.story_id = ${s}.id`),
          Prisma.raw(`${p}.position`),
        )} ELSE ${EMPTY_LIST} END`;
      },
    },
    photos: {
      of: "StoryPhoto",
      sql: (s, object, alias) => {
        const sp = alias();
        return Prisma.sql`CASE WHEN ${bodyReadable(s)} THEN ${jsonList(
          object(sp),
          Prisma.raw(`FROM ${PLACEMENTS(sp)} WHERE ${sp}.story_id = ${s}.id`),
          Prisma.raw(`${sp}.position`),
        )} ELSE ${EMPTY_LIST} END`;
      },
    },
    leadPhoto: {
      of: "StoryPhoto",
      sql: (s, object, alias) => {
        const sp = alias();
        return Prisma.sql`CASE WHEN ${bodyReadable(s)} THEN (SELECT ${object(sp)} ${Prisma.raw(
          `FROM ${PLACEMENTS(sp)} WHERE ${sp}.story_id = ${s}.id AND ${sp}.role = 'LEAD' ORDER BY ${sp}.position LIMIT 1`,
        )}) END`;
      },
    },
    attributions: {
      of: "Attribution",
      sql: (s, object, alias) => {
        const a = alias();
        return Prisma.sql`CASE WHEN ${bodyReadable(s)} THEN ${jsonList(
          object(a),
          Prisma.sql`${Prisma.raw(`FROM ${ATTRIBUTIONS(a)} WHERE ${a}.story_id = ${s}.id AND `)}${whereToSql(readableAttributionsOfStoryWhere(null), a)}`,
          // ATTRIBUTION_ORDER: by paragraph, then in the order they were added.
          Prisma.raw(`${a}_paragraph.position, ${a}.created_at, ${a}.id`),
        )} ELSE ${EMPTY_LIST} END`;
      },
    },
  },
  Paragraph: {
    id: { sql: column("id") },
    position: { sql: column("position") },
    text: { sql: column("text") },
  },
  StoryPhoto: {
    id: { sql: column("id") },
    position: { sql: column("position") },
    role: { sql: column("role") },
    // The story's own caption, or the photo's (photo.service.ts present); the credit is the photo's.
    caption: { sql: (sp: string) => Prisma.raw(`COALESCE(${sp}.caption, ${sp}_photo.caption)`) },
    storyCaption: { sql: column("caption") },
    credit: { sql: (sp: string) => Prisma.raw(`${sp}_photo.credit`) },
    photo: { of: "Photo", sql: (sp, object) => object(`${sp}_photo`) },
    paragraph: {
      of: "Paragraph",
      sql: (sp, object, alias) => {
        const p = alias();
        return Prisma.sql`(SELECT ${object(p)} ${Prisma.raw(`FROM paragraphs ${p} WHERE ${p}.id = ${sp}.paragraph_id`)})`;
      },
    },
  },
  Photo: {
    id: { sql: column("id") },
    url: { sql: column("url") },
    caption: { sql: column("caption") },
    credit: { sql: column("credit") },
    takenAt: { sql: isoTime("taken_at") },
    location: { sql: column("location") },
    isFilePhoto: { sql: column("is_file_photo") },
    altText: { sql: column("alt_text") },
    width: { sql: column("width") },
    height: { sql: column("height") },
    creator: { sql: column("creator") },
    copyrightNotice: { sql: column("copyright_notice") },
    createdAt: { sql: isoTime("created_at") },
    updatedAt: { sql: isoTime("updated_at") },
  },
  Attribution: {
    id: { sql: column("id") },
    kind: { sql: column("kind") },
    quote: { sql: column("quote") },
    method: { sql: column("method") },
    confirmed: { sql: column("confirmed") },
    createdAt: { sql: isoTime("created_at") },
    paragraph: { of: "Paragraph", sql: (a, object) => object(`${a}_paragraph`) },
    source: { of: "Source", sql: (a, object) => object(`${a}_source`) },
  },
  Source: {
    id: { sql: column("id") },
    name: {
      sql: (so: string) =>
        Prisma.sql`CASE WHEN ${Prisma.raw(`${so}.kind`)} = ${ANONYMOUS} THEN COALESCE(${column("anonymous_description")(so)}, 'Anonymous source') ELSE ${column("name")(so)} END`,
    },
    kind: { sql: column("kind") },
    title: { sql: namedOnly("title") },
    affiliation: { sql: namedOnly("affiliation") },
    terms: { sql: column("terms") },
    isAnonymous: { sql: (so: string) => Prisma.sql`(${Prisma.raw(`${so}.kind`)} = ${ANONYMOUS})` },
    anonymousDescription: { sql: column("anonymous_description") },
    // The newsroom's: never the public's.
    anonymityReason: { sql: always(Prisma.sql`NULL::text`) },
    anonymityApprovedAt: { sql: always(Prisma.sql`NULL::text`) },
    createdAt: { sql: isoTime("created_at") },
    updatedAt: { sql: isoTime("updated_at") },
  },
};

/** The types of the objects each field of objects holds, for the planner: what it may descend into. */
export function publicFieldOf(type: PublicTypeName, name: string): { of?: PublicTypeName } | undefined {
  const field = FIELDS[type][name];
  return field && ("of" in field ? { of: field.of } : {});
}

/**
 * The selection over the row `table` of `type` as the text of a JSON object, keys in the
 * selection's order. It is written as compact JSON text, not json_build_object's (which puts
 * spaces around colons), so that it reads exactly as JSON.stringify would write it: PostgreSQL's
 * to_json escapes a string as JSON.stringify does, and the lane can send it as it comes.
 */
function objectSql(type: PublicTypeName, selection: SelectedField[], table: string, alias: () => string): Prisma.Sql {
  const members = selection.map(({ key, name, selection: nested }, index) => {
    const field = FIELDS[type][name];
    let value: Prisma.Sql;
    if (name === "__typename") value = Prisma.raw(`'"${type}"'`);
    else if (!field) throw new Error(`${type}.${name} is not readable in one statement`);
    else if ("of" in field)
      value = Prisma.sql`COALESCE(${field.sql(table, (inner) => objectSql(field.of, nested ?? [], inner, alias), alias)}, 'null')`;
    else value = Prisma.sql`COALESCE(to_json(${field.sql(table)})::text, 'null')`;
    // A GraphQL name ([_A-Za-z][_0-9A-Za-z]*, as the parser checked it) is safe in a literal and needs no escaping in JSON.
    return Prisma.sql`${Prisma.raw(`'${index === 0 ? "{" : ","}"${key}":'`)} || ${value}`;
  });
  return members.length ? Prisma.sql`(${Prisma.join(members, " || ")} || '}')` : Prisma.sql`'{}'`;
}

/**
 * Opens each of these statements: PostgreSQL prepares it once per connection (src/db/prepared-statements.ts),
 * and pg_stat_statements, logs and tests can tell which path answered.
 */
export const PUBLIC_READ_COMMENT = preparedStatementMark("public_read");
const PUBLIC_READ_MARK = Prisma.raw(PUBLIC_READ_COMMENT);

/** Fresh table aliases for one statement, so that nested subqueries never shadow each other. */
function aliases(): () => string {
  let next = 0;
  return () => `t${(next += 1)}`;
}

/**
 * A statement made once per query (and page size) and reused by every request of it. Its only
 * parameter, if any, is the request's argument (a slug or an id). The rules' own values are
 * written into the text and the time is PostgreSQL's, so that PostgreSQL plans it once, for good:
 * a statement with parameters it cannot see through (a page size, the time an embargo is compared
 * with) is planned again on every execution, which cost as much as the rest of the read.
 */
export interface PublicReadStatement {
  text: string;
  /** Whether $1 is the request's argument. */
  takesArgument: boolean;
}

/** Stands for the time an embargo is compared with; written as the statement's own start time. */
const NOW_SLOT = new Date(0);
/** Stands for the request's argument, the statement's one parameter. */
const ARGUMENT_SLOT = Symbol("argument");

/** A value of a rule as an SQL literal; the rules hold only these kinds of value. */
function literal(value: unknown): string {
  if (value === NOW_SLOT) return "statement_timestamp()";
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  // standard_conforming_strings is on (PostgreSQL's default since 9.1): doubling quotes is all it takes.
  if (typeof value === "string" && !value.includes("\u0000")) return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`A public read cannot write ${String(value)} into its statement`);
}

function statementFrom(sql: Prisma.Sql): PublicReadStatement {
  let text = sql.strings[0]!;
  let takesArgument = false;
  sql.values.forEach((value, index) => {
    if (value === ARGUMENT_SLOT) takesArgument = true;
    text += (value === ARGUMENT_SLOT ? "$1" : literal(value)) + sql.strings[index + 1]!;
  });
  return { text, takesArgument };
}

/** The published story the public may read by slug or id (the argument), as the JSON text of the selection, or no row. */
export function publicStoryStatement(by: "slug" | "id", selection: SelectedField[]): PublicReadStatement {
  const alias = aliases();
  const s = alias();
  const match =
    by === "slug"
      ? Prisma.sql`${Prisma.raw(`${s}.slug`)} = ${ARGUMENT_SLOT}`
      : Prisma.sql`${Prisma.raw(`${s}.id`)} = ${ARGUMENT_SLOT}::uuid`;
  return statementFrom(Prisma.sql`${PUBLIC_READ_MARK} SELECT ${Prisma.raw(`${s}.id`)}::text AS id, ${objectSql("Story", selection, s, alias)} AS node
    FROM stories ${Prisma.raw(s)} WHERE ${match} AND ${readableStoriesSql(null, s, NOW_SLOT)} LIMIT 1`);
}

/**
 * The first `size` stories the public may read, newest first (STORY_ORDERS.PUBLISHED_AT_DESC),
 * each as the JSON text of the selection.
 */
export function publicFrontPageStatement(selection: SelectedField[], size: number): PublicReadStatement {
  const alias = aliases();
  const s = alias();
  return statementFrom(Prisma.sql`${PUBLIC_READ_MARK} SELECT ${Prisma.raw(`${s}.id`)}::text AS id, ${objectSql("Story", selection, s, alias)} AS node
    FROM stories ${Prisma.raw(s)} WHERE ${readableStoriesSql(null, s, NOW_SLOT)}
    ORDER BY ${Prisma.raw(`${s}.published_at DESC NULLS LAST, ${s}.id DESC`)} LIMIT ${size}`);
}
