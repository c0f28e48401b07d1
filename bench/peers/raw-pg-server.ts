import http from "node:http";
import pg from "pg";
import { exitWithParent, peerSettings } from "./peer-server.js";

/**
 * The floor: the two pages by hand-written SQL on a pg Pool of the API's size, behind the
 * smallest node:http server. Each page is one prepared statement that builds the whole JSON in
 * PostgreSQL, the same JSON a GraphQL client gets from the API for its query, and the server
 * sends it on as the text it arrives as: nothing is parsed or serialized in JavaScript.
 *
 *   GET /front-page          the API's stories(first: 20) with leadPhoto
 *   GET /story?slug=<slug>   the API's story(slug) with paragraphs, photos and attributions
 */

const PUBLISHED_AT = `to_char(s.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const FRONT_PAGE: pg.QueryConfig = {
  name: "front-page",
  text: `
    SELECT coalesce(json_agg(json_build_object('node', json_build_object(
             'id', s.id, 'slug', s.slug, 'headline', s.headline, 'summary', s.summary, 'credit', s.credit,
             'publishedAt', ${PUBLISHED_AT}, 'leadPhoto', lead.photo))
           ORDER BY s.published_at DESC NULLS LAST, s.id DESC), '[]')::text AS edges
    FROM (SELECT id, slug, headline, summary, credit, published_at FROM stories WHERE status = 'PUBLISHED'
          ORDER BY published_at DESC NULLS LAST, id DESC LIMIT 20) s
    LEFT JOIN LATERAL (
      SELECT json_build_object('caption', coalesce(sp.caption, p.caption), 'credit', p.credit, 'photo', json_build_object('url', p.url)) AS photo
      FROM story_photos sp JOIN photos p ON p.id = sp.photo_id
      WHERE sp.story_id = s.id AND sp.role = 'LEAD' ORDER BY sp.position LIMIT 1) lead ON true`,
};

// The public sees confirmed attributions only, in paragraph order, and of an anonymous source only
// the description used in copy.
const STORY_PAGE_TEXT = `
  SELECT json_build_object(
    'id', s.id, 'headline', s.headline, 'summary', s.summary, 'dateline', s.dateline, 'credit', s.credit,
    'publishedAt', ${PUBLISHED_AT},
    'paragraphs', coalesce((
      SELECT json_agg(json_build_object('id', p.id, 'position', p.position, 'text', p.text) ORDER BY p.position)
      FROM paragraphs p WHERE p.story_id = s.id), '[]'),
    'photos', coalesce((
      SELECT json_agg(json_build_object('position', sp.position, 'role', sp.role, 'caption', coalesce(sp.caption, ph.caption),
                                        'credit', ph.credit, 'photo', json_build_object('url', ph.url, 'altText', ph.alt_text))
                      ORDER BY sp.position)
      FROM story_photos sp JOIN photos ph ON ph.id = sp.photo_id WHERE sp.story_id = s.id), '[]'),
    'attributions', coalesce((
      SELECT json_agg(json_build_object(
               'kind', a.kind, 'quote', a.quote, 'paragraph', json_build_object('id', a.paragraph_id),
               'source', json_build_object(
                 'name', CASE WHEN src.kind = 'ANONYMOUS' THEN coalesce(src.anonymous_description, 'Anonymous source') ELSE src.name END,
                 'title', CASE WHEN src.kind = 'ANONYMOUS' THEN NULL ELSE src.title END))
             ORDER BY p.position, a.created_at, a.id)
      FROM attributions a JOIN paragraphs p ON p.id = a.paragraph_id JOIN sources src ON src.id = a.source_id
      WHERE a.story_id = s.id AND a.confirmed), '[]')
  )::text AS story
  FROM stories s WHERE s.slug = $1 AND s.status = 'PUBLISHED'`;

const settings = peerSettings();
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize });

async function page(url: URL): Promise<string | null> {
  switch (url.pathname) {
    case "/front-page": {
      const { rows } = await pool.query<{ edges: string }>(FRONT_PAGE);
      return `{"data":{"stories":{"edges":${rows[0]!.edges}}}}`;
    }
    case "/story": {
      const { rows } = await pool.query<{ story: string }>({
        name: "story-page",
        text: STORY_PAGE_TEXT,
        values: [url.searchParams.get("slug")],
      });
      return `{"data":{"story":${rows[0]?.story ?? "null"}}}`;
    }
    case "/health":
      await pool.query("SELECT 1");
      return "{}";
    default:
      return null;
  }
}

const server = http.createServer((request, response) => {
  page(new URL(request.url ?? "/", "http://localhost")).then(
    (body) => {
      response.writeHead(body === null ? 404 : 200, { "content-type": "application/json; charset=utf-8" });
      response.end(body ?? '{"error":"not found"}');
    },
    (error: unknown) => {
      console.error(error);
      response.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      response.end('{"error":"internal"}');
    },
  );
});

exitWithParent();
server.listen(settings.port, settings.host, () => console.error(`raw pg server listening on ${settings.port}`));
