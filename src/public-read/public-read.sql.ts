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
const EMPTY_LIST = Prisma.sql`'[]'::json`;

/** A list of objects as a JSON array in the given order, [] when there is none. */
const jsonList = (object: Prisma.Sql, from: Prisma.Sql, order: Prisma.Sql) =>
  Prisma.sql`COALESCE((SELECT json_agg(${object} ORDER BY ${order}) ${from}), ${EMPTY_LIST})`;

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
    embargoedUntil: { sql: always(Prisma.sql`NULL`) },
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
    anonymityReason: { sql: always(Prisma.sql`NULL`) },
    anonymityApprovedAt: { sql: always(Prisma.sql`NULL`) },
    createdAt: { sql: isoTime("created_at") },
    updatedAt: { sql: isoTime("updated_at") },
  },
};

/** The types of the objects each field of objects holds, for the planner: what it may descend into. */
export function publicFieldOf(type: PublicTypeName, name: string): { of?: PublicTypeName } | undefined {
  const field = FIELDS[type][name];
  return field && ("of" in field ? { of: field.of } : {});
}

/** json_build_object of the selection over the row `table` of `type`, in the selection's order. */
function objectSql(type: PublicTypeName, selection: SelectedField[], table: string, alias: () => string): Prisma.Sql {
  const pairs = selection.map(({ key, name, selection: nested }) => {
    const field = FIELDS[type][name];
    let value: Prisma.Sql;
    if (name === "__typename") value = Prisma.raw(`'${type}'::text`);
    else if (!field) throw new Error(`${type}.${name} is not readable in one statement`);
    else if ("of" in field) value = field.sql(table, (inner) => objectSql(field.of, nested ?? [], inner, alias), alias);
    else value = field.sql(table);
    // A GraphQL name ([_A-Za-z][_0-9A-Za-z]*, as the parser checked it) is safe as a literal.
    return Prisma.sql`${Prisma.raw(`'${key}'`)}, ${value}`;
  });
  return Prisma.sql`json_build_object(${Prisma.join(pairs)})`;
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
 * A statement made once per query and reused by every request of it: its text, and its values
 * with two slots that each request fills, the time it reads at and its argument (a slug, an id,
 * a page size). Building the text anew costs more than the rest of a request's JavaScript.
 */
export interface PublicReadStatement {
  text: string;
  values: readonly unknown[];
}

/** Stands for the request's time in a statement's values; replaced by identity (statementValues). */
const NOW_SLOT = new Date(0);
/** Stands for the request's argument in a statement's values. */
const ARGUMENT_SLOT = Symbol("argument");

/** A statement's values for one request. */
export function statementValues(statement: PublicReadStatement, now: Date, argument: unknown): unknown[] {
  return statement.values.map((value) => (value === NOW_SLOT ? now : value === ARGUMENT_SLOT ? argument : value));
}

const statementOf = (sql: Prisma.Sql): PublicReadStatement => ({ text: sql.text, values: sql.values });

/** The published story the public may read by slug or id (the argument), as the JSON text of the selection, or no row. */
export function publicStoryStatement(by: "slug" | "id", selection: SelectedField[]): PublicReadStatement {
  const alias = aliases();
  const s = alias();
  const match =
    by === "slug"
      ? Prisma.sql`${Prisma.raw(`${s}.slug`)} = ${ARGUMENT_SLOT}`
      : Prisma.sql`${Prisma.raw(`${s}.id`)} = ${ARGUMENT_SLOT}::uuid`;
  return statementOf(Prisma.sql`${PUBLIC_READ_MARK} SELECT ${Prisma.raw(`${s}.id`)}::text AS id, ${objectSql("Story", selection, s, alias)}::text AS node
    FROM stories ${Prisma.raw(s)} WHERE ${match} AND ${readableStoriesSql(null, s, NOW_SLOT)} LIMIT 1`);
}

/**
 * The first stories the public may read (as many as the argument says), newest first
 * (STORY_ORDERS.PUBLISHED_AT_DESC), each as the JSON text of the selection.
 */
export function publicFrontPageStatement(selection: SelectedField[]): PublicReadStatement {
  const alias = aliases();
  const s = alias();
  return statementOf(Prisma.sql`${PUBLIC_READ_MARK} SELECT ${Prisma.raw(`${s}.id`)}::text AS id, ${objectSql("Story", selection, s, alias)}::text AS node
    FROM stories ${Prisma.raw(s)} WHERE ${readableStoriesSql(null, s, NOW_SLOT)}
    ORDER BY ${Prisma.raw(`${s}.published_at DESC NULLS LAST, ${s}.id DESC`)} LIMIT ${ARGUMENT_SLOT}`);
}
