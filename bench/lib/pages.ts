/**
 * The two public pages every contender serves, and what each answer means as content: every
 * contender's JSON is mapped to the same plain shape, so the check before measuring can tell
 * whether all of them return the same data, in the same order.
 */

export const FRONT_PAGE_SIZE = 20;

export type PageRequest = { page: "front" } | { page: "story"; slug: string };
export type PageName = PageRequest["page"];
export const PAGE_NAMES: readonly PageName[] = ["front", "story"];
export const PAGE_TITLES: Record<PageName, string> = { front: "front page", story: "story page" };

export interface FrontPageStory {
  id: string;
  slug: string;
  headline: string;
  summary: string | null;
  credit: string | null;
  publishedAt: string | null;
  leadPhoto: { caption: string | null; credit: string | null; url: string | null } | null;
}

export interface StoryPage {
  id: string;
  headline: string;
  summary: string | null;
  dateline: string | null;
  credit: string | null;
  publishedAt: string | null;
  paragraphs: { id: string; position: number; text: string }[];
  photos: { position: number; role: string; caption: string | null; credit: string | null; url: string | null; altText: string | null }[];
  attributions: { kind: string; quote: string | null; paragraphId: string; sourceName: string; sourceTitle: string | null }[];
}

export type PageContent = FrontPageStory[] | StoryPage | null;

/** One line, so that it fits a GET request's URL without wasting it on indentation. */
export const compact = (document: string) => document.replace(/\s+/g, " ").trim();

// The API, as the brief for this comparison gives its queries.
export const FRONT_PAGE_STORY_FIELDS = "id slug headline summary credit publishedAt leadPhoto { caption credit photo { url } }";

export const API_FRONT_PAGE = compact(`
  query FrontPage {
    stories(first: ${FRONT_PAGE_SIZE}) { edges { node { ${FRONT_PAGE_STORY_FIELDS} } } }
  }`);

export const API_STORY_PAGE = compact(`
  query StoryPage($slug: String!) {
    story(slug: $slug) {
      id headline summary dateline credit publishedAt
      paragraphs { id position text }
      photos { position role caption credit photo { url altText } }
      attributions { kind quote paragraph { id } source { name title } }
    }
  }`);

/**
 * PostGraphile's generated schema for the same pages. Published only: a condition on status
 * (story by slug is a condition too, since storyBySlug would return drafts). The lead photo: the
 * story's placements with role LEAD, first by position. A placement's caption falls back to the
 * photo's own in the client, as the API does on the server. Attributions: confirmed only, by
 * created_at, which in the generated data is paragraph order (PostGraphile cannot order by a
 * column of another table without a plugin). Sources: computed columns (POSTGRAPHILE_SETUP_SQL)
 * that apply the API's rule for anonymous sources in SQL, so the desk's label never leaves the
 * database. Version 5 calls the id column rowId (its id is the global node id).
 */
export function postgraphileDocuments(idField: "id" | "rowId"): { front: string; story: string } {
  const idOrder = idField === "id" ? "ID" : "ROW_ID";
  return {
    front: compact(`
      query FrontPage {
        allStories(first: ${FRONT_PAGE_SIZE}, condition: { status: PUBLISHED }, orderBy: [PUBLISHED_AT_DESC, ${idOrder}_DESC]) {
          nodes {
            ${idField} slug headline summary credit publishedAt
            storyPhotosByStoryId(condition: { role: LEAD }, orderBy: POSITION_ASC, first: 1) { nodes { caption photoByPhotoId { caption credit url } } }
          }
        }
      }`),
    story: compact(`
      query StoryPage($slug: String!) {
        allStories(condition: { slug: $slug, status: PUBLISHED }, first: 1) {
          nodes {
            ${idField} headline summary dateline credit publishedAt
            paragraphsByStoryId(orderBy: POSITION_ASC) { nodes { ${idField} position text } }
            storyPhotosByStoryId(orderBy: POSITION_ASC) { nodes { position role caption photoByPhotoId { url altText caption credit } } }
            attributionsByStoryId(condition: { confirmed: true }, orderBy: [CREATED_AT_ASC, ${idOrder}_ASC]) {
              nodes { kind quote paragraphId sourceBySourceId { publicName publicTitle } }
            }
          }
        }
      }`),
  };
}

/**
 * What PostGraphile needs in the database for these pages, added to the bench's own database only:
 * the public face of a source as computed columns (Source.publicName, Source.publicTitle), smart
 * comments that let PostGraphile 5 filter and order by three columns that have no index of their
 * own (version 5 offers only indexed columns by default; version 4 offers all of them), and the
 * front page's index in the order PostGraphile sorts: its PUBLISHED_AT_DESC is PostgreSQL's
 * `DESC` (nulls first), which the API's index (`DESC NULLS LAST`) cannot deliver, so without its own
 * index PostGraphile would sort every published story on each front page.
 */
export const POSTGRAPHILE_SETUP_SQL = `
  CREATE FUNCTION sources_public_name(s sources) RETURNS text LANGUAGE sql STABLE AS
    $$ SELECT CASE WHEN s.kind = 'ANONYMOUS' THEN coalesce(s.anonymous_description, 'Anonymous source') ELSE s.name END $$;
  CREATE FUNCTION sources_public_title(s sources) RETURNS text LANGUAGE sql STABLE AS
    $$ SELECT CASE WHEN s.kind = 'ANONYMOUS' THEN NULL ELSE s.title END $$;
  COMMENT ON COLUMN story_photos.role IS '@behavior +filterBy';
  COMMENT ON COLUMN attributions.confirmed IS '@behavior +filterBy';
  COMMENT ON COLUMN attributions.created_at IS '@behavior +orderBy';
  CREATE INDEX bench_postgraphile_front_page ON stories (status, published_at DESC, id DESC);
  ANALYZE stories;
`;

/** Times as instants: PostGraphile prints them as PostgreSQL does, the API as ISO 8601 in UTC. */
function instant(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

type Json = Record<string, any>;

/** The content of an answer in the API's shape (the API itself, and the raw pg server that copies it). */
export function apiContent(request: PageRequest, body: Json): PageContent {
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  if (request.page === "front") {
    return (body.data.stories.edges as Json[]).map(({ node }) => ({
      id: node.id,
      slug: node.slug,
      headline: node.headline,
      summary: node.summary,
      credit: node.credit,
      publishedAt: instant(node.publishedAt),
      leadPhoto: node.leadPhoto && { caption: node.leadPhoto.caption, credit: node.leadPhoto.credit, url: node.leadPhoto.photo.url },
    }));
  }
  const story = body.data.story;
  if (story === null) return null;
  return {
    id: story.id,
    headline: story.headline,
    summary: story.summary,
    dateline: story.dateline,
    credit: story.credit,
    publishedAt: instant(story.publishedAt),
    paragraphs: (story.paragraphs as Json[]).map((p) => ({ id: p.id, position: p.position, text: p.text })),
    photos: (story.photos as Json[]).map((p) => ({
      position: p.position,
      role: p.role,
      caption: p.caption,
      credit: p.credit,
      url: p.photo.url,
      altText: p.photo.altText,
    })),
    attributions: (story.attributions as Json[]).map((a) => ({
      kind: a.kind,
      quote: a.quote,
      paragraphId: a.paragraph.id,
      sourceName: a.source.name,
      sourceTitle: a.source.title,
    })),
  };
}

/** The content of a PostGraphile answer to postgraphileDocuments(idField). */
export function postgraphileContent(idField: "id" | "rowId", request: PageRequest, body: Json): PageContent {
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
  const nodes = body.data.allStories.nodes as Json[];
  const caption = (placement: Json) => placement.caption ?? placement.photoByPhotoId.caption;
  if (request.page === "front") {
    return nodes.map((node) => {
      const lead = (node.storyPhotosByStoryId.nodes as Json[])[0];
      return {
        id: node[idField],
        slug: node.slug,
        headline: node.headline,
        summary: node.summary,
        credit: node.credit,
        publishedAt: instant(node.publishedAt),
        leadPhoto: lead ? { caption: caption(lead), credit: lead.photoByPhotoId.credit, url: lead.photoByPhotoId.url } : null,
      };
    });
  }
  const story = nodes[0];
  if (!story) return null;
  return {
    id: story[idField],
    headline: story.headline,
    summary: story.summary,
    dateline: story.dateline,
    credit: story.credit,
    publishedAt: instant(story.publishedAt),
    paragraphs: (story.paragraphsByStoryId.nodes as Json[]).map((p) => ({ id: p[idField], position: p.position, text: p.text })),
    photos: (story.storyPhotosByStoryId.nodes as Json[]).map((p) => ({
      position: p.position,
      role: p.role,
      caption: caption(p),
      credit: p.photoByPhotoId.credit,
      url: p.photoByPhotoId.url,
      altText: p.photoByPhotoId.altText,
    })),
    attributions: (story.attributionsByStoryId.nodes as Json[]).map((a) => ({
      kind: a.kind,
      quote: a.quote,
      paragraphId: a.paragraphId,
      sourceName: a.sourceBySourceId.publicName,
      sourceTitle: a.sourceBySourceId.publicTitle,
    })),
  };
}

/** The first place where two contents differ, as a path and both values; null when they are the same. */
export function firstDifference(expected: unknown, actual: unknown, path = "$"): string | null {
  if (Object.is(expected, actual)) return null;
  if (typeof expected !== "object" || typeof actual !== "object" || expected === null || actual === null) {
    return `${path}: expected ${JSON.stringify(expected)?.slice(0, 200)}, got ${JSON.stringify(actual)?.slice(0, 200)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${path}: expected ${Array.isArray(expected) ? "a list" : "an object"}`;
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length !== actual.length) {
    return `${path}: expected ${expected.length} items, got ${actual.length}`;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const key of keys) {
    const difference = firstDifference((expected as Json)[key], (actual as Json)[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return null;
}
