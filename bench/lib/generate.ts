import { createHash } from "node:crypto";
import pg from "pg";
import * as words from "./vocabulary.js";

/**
 * Makes a newsroom of `published` published stories (plus one unpublished story for every 50:
 * drafts, stories in review and archived ones, so that every read must filter by status) directly
 * in SQL, into a database that has every migration and no data.
 *
 * Every value is a pure function of the story's number n (1 is the newest), through a hash, so two
 * databases of the same size hold the same newsroom, chunks can be made in any order on several
 * connections at once, and a chunk's attributions can quote its paragraphs without reading them.
 *
 * Story n: 8–12 paragraphs of 1–3 sentences from a pool built from the vocabulary; a LEAD photo
 * for 85% of stories and 0–2 INLINE photos, 30% with a caption of the story's own; 0–4
 * attributions to a pool of sources (15% of them anonymous), one in ten unconfirmed, on paragraphs
 * in increasing position. Every three consecutive stories share a publication time, so ties are
 * broken by id as the API's order says.
 *
 * Bulk loading: foreign keys and secondary indexes are dropped and made again at the end (which
 * checks every reference and every unique key), and the triggers on paragraphs and attributions are
 * off while rows go in. The trigger on stories stays on and stories go in last, after their
 * paragraphs, so that it computes each search_vector itself, from the paragraphs as they stand:
 * what the triggers would have made row by row. The quote rule the attribution trigger enforces is
 * checked for every direct quote at the end, and search vectors are recomputed for a sample.
 */
export interface GenerateOptions {
  published: number;
  /** Connections working on chunks at once: one per core is what PostgreSQL can use. */
  connections: number;
  log: (message: string) => void;
}

export interface GenerationReport {
  published: number;
  unpublished: number;
  sources: number;
  seconds: number;
  /** Seconds per phase, in the order they ran. */
  phases: Record<string, number>;
  rows: Record<string, number>;
}

/** 2025-06-01T12:00:00Z: story 1 is published then, the others before it. */
const NEWEST_PUBLICATION_MS = 1_748_779_200_000;
const SENTENCE_POOL = 20_000;
const STORIES_PER_CHUNK = 10_000;
const SEARCH_VECTOR_SAMPLE = 2_000;
/** Tables the generator fills; their foreign keys and secondary indexes are rebuilt after loading. */
const LOADED_TABLES = ["users", "sources", "stories", "paragraphs", "photos", "story_photos", "attributions"];
/** Their user triggers are off while rows go in (see the comment at the top). */
const TRIGGERS_OFF = ["paragraphs", "attributions"];

function arrayLiteral(items: readonly string[]): string {
  return pg.escapeLiteral(`{${items.map((item) => `"${item.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`);
}

/**
 * Helpers in a schema of their own, dropped at the end. They are immutable SQL functions, which
 * PostgreSQL inlines, so the bulk statements below pay for expressions, not for function calls.
 * Hash seeds are n·1024 + purpose·16 + index: purposes 1–12 are paragraph positions 0–11 (index
 * 0–2 its sentences, 3 how many), 20 the story, 24 its photos, 25–27 photo k, 30 its attribution
 * count, 31–34 attribution k.
 */
function helpersSql(published: number, unpublished: number, sources: number): string {
  const list = (name: string, items: readonly string[]) =>
    `CREATE FUNCTION bench_gen.${name}() RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${arrayLiteral(items)}::text[] $$;`;
  return `
    DROP SCHEMA IF EXISTS bench_gen CASCADE;
    CREATE SCHEMA bench_gen;
    ${list("places", words.PLACES)}
    ${list("subjects", words.SUBJECTS)}
    ${list("headline_verbs", words.HEADLINE_VERBS)}
    ${list("topics", words.TOPICS)}
    ${list("people_groups", words.PEOPLE_GROUPS)}
    ${list("organizations", words.ORGANIZATIONS)}
    ${list("verb_phrases", words.VERB_PHRASES)}
    ${list("states", words.STATES)}
    ${list("adjectives", words.ADJECTIVES)}
    ${list("times", words.TIMES)}
    ${list("since", words.SINCE)}
    ${list("weekdays", words.WEEKDAYS)}
    ${list("first_names", words.FIRST_NAMES)}
    ${list("last_names", words.LAST_NAMES)}
    ${list("titles", words.TITLES)}
    ${list("anonymous_descriptions", words.ANONYMOUS_DESCRIPTIONS)}

    CREATE FUNCTION bench_gen.r(n bigint, purpose int, index int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT hashint8(n * 1024 + purpose * 16 + index) & 2147483647 $$;
    CREATE FUNCTION bench_gen.pick(items text[], seed int) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT items[1 + seed % cardinality(items)] $$;
    CREATE FUNCTION bench_gen.uuid7(ms bigint, seq bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT (lpad(to_hex(ms), 12, '0') || '70008' || lpad(to_hex(seq), 15, '0'))::uuid $$;
    CREATE FUNCTION bench_gen.at(ms bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT 'epoch'::timestamptz + ms * interval '1 millisecond' $$;
    CREATE FUNCTION bench_gen.capitalized(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT upper(left(t, 1)) || substr(t, 2) $$;

    -- Published stories 1..${published}, three to a publication time, six minutes apart; then the
    -- unpublished ones, spread over the same years: drafts, in review, archived (which keep their time).
    CREATE FUNCTION bench_gen.status(n bigint) RETURNS "StoryStatus" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN n <= ${published} THEN 'PUBLISHED'
                  ELSE (ARRAY['DRAFT', 'IN_REVIEW', 'ARCHIVED'])[1 + (n - ${published}) % 3] END::"StoryStatus" $$;
    CREATE FUNCTION bench_gen.timeline_ms(n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN n <= ${published} THEN ${NEWEST_PUBLICATION_MS} - ((n - 1) / 3) * 360000
                  ELSE ${NEWEST_PUBLICATION_MS} - ((n - ${published}) * 50 / 3) * 360000 - 90000 END $$;
    CREATE FUNCTION bench_gen.created_ms(n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT bench_gen.timeline_ms(n) - (30 + bench_gen.r(n, 20, 9) % 600) * 60000 $$;
    CREATE FUNCTION bench_gen.story_id(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT bench_gen.uuid7(bench_gen.created_ms(n), n * 64) $$;
    CREATE FUNCTION bench_gen.paragraph_id(n bigint, pos int) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT bench_gen.uuid7(bench_gen.created_ms(n), n * 64 + 1 + pos) $$;
    CREATE FUNCTION bench_gen.paragraph_count(n bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT 8 + bench_gen.r(n, 20, 5) % 5 $$;
    CREATE FUNCTION bench_gen.sentence_id(n bigint, pos int, slot int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT bench_gen.r(n, 1 + pos, slot) % ${SENTENCE_POOL} $$;
    CREATE FUNCTION bench_gen.user_id(i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT bench_gen.uuid7(${NEWEST_PUBLICATION_MS} - 20 * 365 * 86400000::bigint, i) $$;
    CREATE FUNCTION bench_gen.source_id(i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT bench_gen.uuid7(${NEWEST_PUBLICATION_MS} - 15 * 365 * 86400000::bigint, i) $$;
    CREATE FUNCTION bench_gen.source_count() RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${sources} $$;
    CREATE FUNCTION bench_gen.story_count() RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT ${published + unpublished} $$;

    -- The sentence pool: ten templates filled from the word lists.
    CREATE TABLE bench_gen.sentences (id int PRIMARY KEY, text text NOT NULL);
    INSERT INTO bench_gen.sentences
    SELECT i, CASE i % 10
      WHEN 0 THEN format('%s said the %s would %s %s.', bench_gen.pick(bench_gen.subjects(), r1), bench_gen.pick(bench_gen.topics(), r2),
                         bench_gen.pick(bench_gen.verb_phrases(), r3), bench_gen.pick(bench_gen.times(), r4))
      WHEN 1 THEN format('The %s has been %s since %s, according to %s.', bench_gen.pick(bench_gen.topics(), r1),
                         bench_gen.pick(bench_gen.states(), r2), bench_gen.pick(bench_gen.since(), r3), bench_gen.pick(bench_gen.organizations(), r4))
      WHEN 2 THEN format('%s %s, a %s, told reporters the %s was %s.', bench_gen.pick(bench_gen.first_names(), r1),
                         bench_gen.pick(bench_gen.last_names(), r2), bench_gen.pick(bench_gen.titles(), r3), bench_gen.pick(bench_gen.topics(), r4),
                         bench_gen.pick(bench_gen.adjectives(), r5))
      WHEN 3 THEN format('In %s, about %s %s said they %s the %s.', bench_gen.pick(bench_gen.places(), r1), 100 + r2 % 9900,
                         bench_gen.pick(bench_gen.people_groups(), r3), (ARRAY['supported', 'opposed', 'feared', 'welcomed', 'questioned'])[1 + r4 % 5],
                         bench_gen.pick(bench_gen.topics(), r5))
      WHEN 4 THEN format('%s estimated that %s %s would be affected by the %s.', bench_gen.capitalized(bench_gen.pick(bench_gen.organizations(), r1)),
                         100 + r2 % 99900, bench_gen.pick(bench_gen.people_groups(), r3), bench_gen.pick(bench_gen.topics(), r4))
      WHEN 5 THEN format('The decision came after %s %s gathered in %s on %s.', 20 + r1 % 4980, bench_gen.pick(bench_gen.people_groups(), r2),
                         bench_gen.pick(bench_gen.places(), r3), bench_gen.pick(bench_gen.weekdays(), r4))
      WHEN 6 THEN format('Critics said the %s was %s and called on %s to %s.', bench_gen.pick(bench_gen.topics(), r1),
                         bench_gen.pick(bench_gen.adjectives(), r2), bench_gen.pick(bench_gen.organizations(), r3),
                         (ARRAY['publish the full costs', 'hold public hearings', 'reconsider', 'explain the delay', 'consult residents'])[1 + r4 % 5])
      WHEN 7 THEN format('%s did not respond to a request for comment on %s.', bench_gen.pick(bench_gen.subjects(), r1),
                         bench_gen.pick(bench_gen.weekdays(), r2))
      WHEN 8 THEN format('Officials expect the %s to %s %s.', bench_gen.pick(bench_gen.topics(), r1), bench_gen.pick(bench_gen.verb_phrases(), r2),
                         bench_gen.pick(bench_gen.times(), r3))
      ELSE format('"This is about the %s of our %s," one of the %s said.', (ARRAY['future', 'safety', 'health', 'dignity', 'livelihood'])[1 + r1 % 5],
                  (ARRAY['children', 'city', 'workers', 'families', 'region'])[1 + r2 % 5], bench_gen.pick(bench_gen.people_groups(), r3))
      END
    FROM (SELECT i, bench_gen.r(-i, 0, 1) AS r1, bench_gen.r(-i, 0, 2) AS r2, bench_gen.r(-i, 0, 3) AS r3, bench_gen.r(-i, 0, 4) AS r4,
                 bench_gen.r(-i, 0, 5) AS r5
          FROM generate_series(0, ${SENTENCE_POOL - 1}) i) seeds;
  `;
}

const USERS_SQL = `
  INSERT INTO users (id, name, email, role, created_at, updated_at)
  SELECT bench_gen.user_id(i), bench_gen.pick(bench_gen.first_names(), bench_gen.r(-i, 1, 1)) || ' ' || bench_gen.pick(bench_gen.last_names(), bench_gen.r(-i, 1, 2)),
         format('staff%s@newsroom.example', i), CASE WHEN i <= 5 THEN 'EDITOR' ELSE 'REPORTER' END::"UserRole", now(), now()
  FROM generate_series(1, 50) i`;

// Sources i % 20: 0–11 people, 12–15 organizations, 16 documents, 17–19 anonymous. An anonymous
// source's name is the desk's internal label and its title is not for the public either.
const SOURCES_SQL = `
  INSERT INTO sources (id, kind, name, title, affiliation, terms, anonymous_description, anonymity_reason, created_at, updated_at)
  SELECT bench_gen.source_id(i), kind::"SourceKind",
         CASE kind
           WHEN 'PERSON' THEN bench_gen.pick(bench_gen.first_names(), r1) || ' ' || bench_gen.pick(bench_gen.last_names(), r2)
           WHEN 'ORGANIZATION' THEN regexp_replace(bench_gen.pick(bench_gen.subjects(), r1), '^The ', '') || ' of ' || bench_gen.pick(bench_gen.places(), r2)
           WHEN 'DOCUMENT' THEN bench_gen.capitalized(bench_gen.pick(bench_gen.organizations(), r1)) || ' report on the ' || bench_gen.pick(bench_gen.topics(), r2)
           ELSE format('Source %s (desk label)', i) END,
         CASE WHEN kind IN ('PERSON', 'ANONYMOUS') THEN bench_gen.pick(bench_gen.titles(), r3) END,
         CASE WHEN kind = 'PERSON' THEN bench_gen.capitalized(bench_gen.pick(bench_gen.organizations(), r4)) END,
         CASE WHEN kind = 'ANONYMOUS' THEN 'NOT_FOR_ATTRIBUTION' ELSE 'ON_THE_RECORD' END::"SourcingTerms",
         CASE WHEN kind = 'ANONYMOUS' THEN bench_gen.pick(bench_gen.anonymous_descriptions(), r1) END,
         CASE WHEN kind = 'ANONYMOUS' THEN 'Not authorized to speak publicly' END,
         now(), now()
  FROM (SELECT i, CASE WHEN i % 20 < 12 THEN 'PERSON' WHEN i % 20 < 16 THEN 'ORGANIZATION' WHEN i % 20 = 16 THEN 'DOCUMENT' ELSE 'ANONYMOUS' END AS kind,
               bench_gen.r(-i, 2, 1) AS r1, bench_gen.r(-i, 2, 2) AS r2, bench_gen.r(-i, 2, 3) AS r3, bench_gen.r(-i, 2, 4) AS r4
        FROM generate_series(1, bench_gen.source_count()) i) s`;

/** $1..$2: the chunk's story numbers. */
const PARAGRAPHS_SQL = `
  INSERT INTO paragraphs (id, story_id, position, text, created_at, updated_at)
  SELECT bench_gen.paragraph_id(s.n, p.pos), bench_gen.story_id(s.n), p.pos,
         concat_ws(' ', s0.text, CASE WHEN p.sentences > 1 THEN s1.text END, CASE WHEN p.sentences > 2 THEN s2.text END,
                   CASE WHEN p.pos = 2 AND s.n % ${words.SELECTIVE_EVERY} = 1
                        THEN 'Rangers said a ${words.SELECTIVE_WORD} had been seen near the harbor for the first time in years.' END),
         bench_gen.at(s.ms), bench_gen.at(s.ms)
  FROM (SELECT n, bench_gen.created_ms(n) AS ms FROM generate_series($1::bigint, $2::bigint) n) s
  CROSS JOIN LATERAL (SELECT pos, 1 + bench_gen.r(s.n, 1 + pos, 3) % 3 AS sentences
                      FROM generate_series(0, bench_gen.paragraph_count(s.n) - 1) pos) p
  JOIN bench_gen.sentences s0 ON s0.id = bench_gen.sentence_id(s.n, p.pos, 0)
  JOIN bench_gen.sentences s1 ON s1.id = bench_gen.sentence_id(s.n, p.pos, 1)
  JOIN bench_gen.sentences s2 ON s2.id = bench_gen.sentence_id(s.n, p.pos, 2)`;

// Placement k of story n: the LEAD at position 0 when the story has one, then INLINE photos, each
// beside paragraph 1 + 2k. Each placement has a photo of its own.
const PLACEMENTS = `
  FROM (SELECT n, bench_gen.created_ms(n) AS ms, bench_gen.timeline_ms(n) AS at_ms, bench_gen.r(n, 24, 0) % 100 < 85 AS has_lead
        FROM generate_series($1::bigint, $2::bigint) n) s
  CROSS JOIN LATERAL generate_series(0, s.has_lead::int + bench_gen.r(s.n, 24, 1) % 3 - 1) k`;

const PHOTOS_SQL = `
  INSERT INTO photos (id, url, caption, credit, taken_at, location, is_file_photo, alt_text, created_at, updated_at)
  SELECT bench_gen.uuid7(s.ms, s.n * 64 + 20 + k), format('https://images.example.org/stories/%s/%s.jpg', s.n, k),
         format('%s %s near the site of the %s in %s on %s.', bench_gen.capitalized(bench_gen.pick(bench_gen.people_groups(), bench_gen.r(s.n, 25 + k, 0))),
                (ARRAY['wait', 'gather', 'walk', 'queue', 'protest'])[1 + bench_gen.r(s.n, 25 + k, 1) % 5],
                bench_gen.pick(bench_gen.topics(), bench_gen.r(s.n, 25 + k, 2)), bench_gen.pick(bench_gen.places(), bench_gen.r(s.n, 20, 3)),
                bench_gen.pick(bench_gen.weekdays(), bench_gen.r(s.n, 25 + k, 3))),
         format('AP Photo/%s %s', bench_gen.pick(bench_gen.first_names(), bench_gen.r(s.n, 25 + k, 4)), bench_gen.pick(bench_gen.last_names(), bench_gen.r(s.n, 25 + k, 5))),
         bench_gen.at(s.at_ms - 7200000), bench_gen.pick(bench_gen.places(), bench_gen.r(s.n, 20, 3)), bench_gen.r(s.n, 25 + k, 6) % 20 = 0,
         format('%s near the %s', bench_gen.capitalized(bench_gen.pick(bench_gen.people_groups(), bench_gen.r(s.n, 25 + k, 0))),
                bench_gen.pick(bench_gen.topics(), bench_gen.r(s.n, 25 + k, 2))),
         bench_gen.at(s.ms), bench_gen.at(s.ms)
  ${PLACEMENTS}`;

const STORY_PHOTOS_SQL = `
  INSERT INTO story_photos (id, story_id, photo_id, position, role, caption, paragraph_id, created_at)
  SELECT bench_gen.uuid7(s.ms, s.n * 64 + 24 + k), bench_gen.story_id(s.n), bench_gen.uuid7(s.ms, s.n * 64 + 20 + k), k,
         CASE WHEN s.has_lead AND k = 0 THEN 'LEAD' ELSE 'INLINE' END::"PhotoRole",
         CASE WHEN bench_gen.r(s.n, 25 + k, 7) % 10 < 3
              THEN format('%s in %s, where the %s is %s.', bench_gen.capitalized(bench_gen.pick(bench_gen.people_groups(), bench_gen.r(s.n, 25 + k, 0))),
                          bench_gen.pick(bench_gen.places(), bench_gen.r(s.n, 20, 3)), bench_gen.pick(bench_gen.topics(), bench_gen.r(s.n, 20, 2)),
                          bench_gen.pick(bench_gen.states(), bench_gen.r(s.n, 25 + k, 8))) END,
         CASE WHEN s.has_lead AND k = 0 THEN NULL ELSE bench_gen.paragraph_id(s.n, 1 + 2 * k) END,
         bench_gen.at(s.ms)
  ${PLACEMENTS}`;

// Attribution k of story n stands in paragraph 2k or 2k + 1, so their order by creation is their
// order by paragraph. A direct quote is the first sentence of its paragraph, verbatim.
const ATTRIBUTIONS_SQL = `
  INSERT INTO attributions (id, story_id, source_id, paragraph_id, kind, quote, method, confirmed, confirmed_at, confirmed_by_id, created_at, updated_at)
  SELECT bench_gen.uuid7(a.ms, a.n * 64 + 40 + a.k), bench_gen.story_id(a.n), bench_gen.source_id(1 + bench_gen.r(a.n, 31 + a.k, 1) % bench_gen.source_count()),
         bench_gen.paragraph_id(a.n, a.pos), a.kind::"AttributionKind",
         CASE WHEN a.kind = 'DIRECT_QUOTE' THEN quoted.text ELSE claim.text END,
         (ARRAY['TOLD_AGENCY', 'INTERVIEW', 'STATEMENT', 'PRESS_CONFERENCE', 'DOCUMENT', 'SOCIAL_MEDIA', 'OTHER'])[1 + bench_gen.r(a.n, 31 + a.k, 5) % 7]::"AttributionMethod",
         a.confirmed, CASE WHEN a.confirmed THEN bench_gen.at(a.ms + 3600000) END,
         CASE WHEN a.confirmed THEN bench_gen.user_id(1 + bench_gen.r(a.n, 31 + a.k, 6) % 5) END,
         bench_gen.at(a.ms + (a.k + 1) * 1000), bench_gen.at(a.ms + (a.k + 1) * 1000)
  FROM (SELECT s.n, s.ms, k, 2 * k + bench_gen.r(s.n, 31 + k, 0) % 2 AS pos,
               CASE WHEN bench_gen.r(s.n, 31 + k, 2) % 10 < 5 THEN 'DIRECT_QUOTE' WHEN bench_gen.r(s.n, 31 + k, 2) % 10 < 8 THEN 'PARAPHRASE' ELSE 'STATEMENT' END AS kind,
               bench_gen.r(s.n, 31 + k, 3) % 10 <> 0 AS confirmed
        FROM (SELECT n, bench_gen.created_ms(n) AS ms FROM generate_series($1::bigint, $2::bigint) n) s
        CROSS JOIN LATERAL generate_series(0, bench_gen.r(s.n, 30, 0) % 5 - 1) k) a
  JOIN bench_gen.sentences quoted ON quoted.id = bench_gen.sentence_id(a.n, a.pos, 0)
  JOIN bench_gen.sentences claim ON claim.id = bench_gen.r(a.n, 31 + a.k, 4) % ${SENTENCE_POOL}`;

// The stories' own trigger computes search_vector from the paragraphs, which are already there.
const STORIES_SQL = `
  INSERT INTO stories (id, slug, headline, summary, dateline, credit, status, version, published_at, created_at, updated_at, author_id)
  SELECT bench_gen.story_id(n),
         trim(both '-' from regexp_replace(lower(headline), '[^a-z0-9]+', '-', 'g')) || '-' || n,
         headline,
         format('%s %s the %s on %s, a move %s called %s.', subject, verb, topic, bench_gen.pick(bench_gen.weekdays(), bench_gen.r(n, 20, 4)),
                bench_gen.pick(bench_gen.organizations(), bench_gen.r(n, 20, 6)), bench_gen.pick(bench_gen.adjectives(), bench_gen.r(n, 20, 7))),
         upper(place), (ARRAY['AP', 'AP', 'AP', 'AP', 'AP', 'AP', 'AP', 'AP', 'Reuters', NULL])[1 + bench_gen.r(n, 20, 8) % 10],
         status, 1 + bench_gen.r(n, 20, 10) % 6,
         CASE WHEN status IN ('PUBLISHED', 'ARCHIVED') THEN bench_gen.at(bench_gen.timeline_ms(n)) END,
         bench_gen.at(bench_gen.created_ms(n)), bench_gen.at(greatest(bench_gen.created_ms(n), bench_gen.timeline_ms(n))),
         bench_gen.user_id(6 + bench_gen.r(n, 20, 11) % 45)
  FROM (SELECT n, bench_gen.status(n) AS status, subject, verb, topic, place,
               format('%s %s %s in %s', bench_gen.capitalized(regexp_replace(subject, '^The ', '')), verb, topic, place) AS headline
        FROM (SELECT n, bench_gen.pick(bench_gen.subjects(), bench_gen.r(n, 20, 0)) AS subject, bench_gen.pick(bench_gen.headline_verbs(), bench_gen.r(n, 20, 1)) AS verb,
                     bench_gen.pick(bench_gen.topics(), bench_gen.r(n, 20, 2)) AS topic, bench_gen.pick(bench_gen.places(), bench_gen.r(n, 20, 3)) AS place
              FROM generate_series($1::bigint, $2::bigint) n) parts) s`;

interface SavedDefinition {
  table: string;
  name: string;
  sql: string;
}

async function timed<T>(phases: Record<string, number>, name: string, log: (m: string) => void, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  phases[name] = (performance.now() - started) / 1000;
  log(`${name}: ${phases[name].toFixed(1)} s`);
  return result;
}

/** Runs `work` on every item, `clients.length` at a time, each client taking the next item when done. */
async function onEach<T>(clients: pg.Client[], items: readonly T[], work: (client: pg.Client, item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      for (let i = next++; i < items.length; i = next++) await work(client, items[i]!);
    }),
  );
}

function sizes(published: number) {
  return { unpublished: Math.floor(published / 50), sources: Math.max(200, Math.floor(published / 50)) };
}

/**
 * Changes whenever the generator would make different data for this size: a kept database made
 * with another fingerprint is made again.
 */
export function generatorFingerprint(published: number): string {
  const { unpublished, sources } = sizes(published);
  const statements = [
    helpersSql(published, unpublished, sources),
    USERS_SQL,
    SOURCES_SQL,
    PARAGRAPHS_SQL,
    PHOTOS_SQL,
    STORY_PHOTOS_SQL,
    ATTRIBUTIONS_SQL,
    STORIES_SQL,
  ];
  return createHash("sha256").update(statements.join("\n")).digest("hex").slice(0, 16);
}

export async function generateNewsroom(url: string, options: GenerateOptions): Promise<GenerationReport> {
  const { published, log } = options;
  const { unpublished, sources } = sizes(published);
  const total = published + unpublished;
  const started = performance.now();
  const phases: Record<string, number> = {};

  const clients = Array.from({ length: Math.max(1, options.connections) }, () => new pg.Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    // Bulk work: big sorts for the index builds, no waiting for WAL flushes on each chunk, and no
    // JIT, whose compile time on every chunk's statement costs more than it saves.
    await Promise.all(
      clients.map((client) => client.query("SET maintenance_work_mem = '1GB'; SET synchronous_commit = off; SET jit = off")),
    );
    const [main] = clients as [pg.Client];
    const tables = LOADED_TABLES.map((table) => `'public.${table}'::regclass`).join(", ");

    const { foreignKeys, indexes } = await timed(phases, "prepare", log, async () => {
      const existing = await main.query<{ count: number }>("SELECT count(*)::int AS count FROM stories");
      if (existing.rows[0]!.count > 0) throw new Error("the database already holds stories; the generator fills an empty one");
      await main.query(helpersSql(published, unpublished, sources));
      const foreignKeys = (
        await main.query<SavedDefinition>(
          `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS sql
           FROM pg_constraint WHERE contype = 'f' AND conrelid IN (${tables})`,
        )
      ).rows;
      for (const fk of foreignKeys) await main.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
      // Indexes that no primary key or unique constraint owns (Prisma makes unique keys as plain unique indexes).
      const indexes = (
        await main.query<SavedDefinition>(
          `SELECT i.indrelid::regclass::text AS table, c.relname AS name, pg_get_indexdef(i.indexrelid) AS sql
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid IN (${tables}) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
           ORDER BY pg_relation_size(i.indrelid) DESC`,
        )
      ).rows;
      for (const index of indexes) await main.query(`DROP INDEX public."${index.name}"`);
      for (const table of TRIGGERS_OFF) await main.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await main.query(USERS_SQL);
      await main.query(SOURCES_SQL);
      return { foreignKeys, indexes };
    });

    const chunks: [number, number][] = [];
    for (let lo = 1; lo <= total; lo += STORIES_PER_CHUNK) chunks.push([lo, Math.min(total, lo + STORIES_PER_CHUNK - 1)]);
    const inChunks = async (name: string, statements: string[]) => {
      let done = 0;
      let reported = performance.now();
      await timed(phases, name, log, () =>
        onEach(clients, chunks, async (client, range) => {
          for (const sql of statements) await client.query(sql, range);
          done += range[1] - range[0] + 1;
          if (performance.now() - reported > 15_000) {
            reported = performance.now();
            log(`${name}: ${done} of ${total} stories`);
          }
        }),
      );
    };

    await inChunks("paragraphs, photos, attributions", [PARAGRAPHS_SQL, PHOTOS_SQL, STORY_PHOTOS_SQL, ATTRIBUTIONS_SQL]);
    // The search trigger reads a story's paragraphs by this index.
    const byStoryAndPosition = indexes.filter((index) => index.name === "paragraphs_story_id_position_key");
    await timed(phases, "paragraph index", log, () =>
      onEach(clients, byStoryAndPosition, (client, index) => client.query(index.sql).then(() => {})),
    );
    await inChunks("stories and their search vectors", [STORIES_SQL]);

    const otherIndexes = indexes.filter((index) => !byStoryAndPosition.includes(index));
    await timed(phases, "indexes", log, () => onEach(clients, otherIndexes, (client, index) => client.query(index.sql).then(() => {})));
    // Adding a foreign key checks every row; two at once would wait on each other's locks anyway.
    await timed(phases, "foreign keys", log, async () => {
      for (const fk of foreignKeys) await main.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.sql}`);
    });

    await timed(phases, "checks", log, async () => {
      for (const table of TRIGGERS_OFF) await main.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      const quotes = await main.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM attributions a JOIN paragraphs p ON p.id = a.paragraph_id
         WHERE a.kind = 'DIRECT_QUOTE' AND (a.quote IS NULL OR btrim(a.quote) = '' OR strpos(fold_quote_marks(p.text), fold_quote_marks(a.quote)) = 0)`,
      );
      if (quotes.rows[0]!.count > 0) throw new Error(`${quotes.rows[0]!.count} direct quotes are not verbatim in their paragraphs`);
      const vectors = await main.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM stories s
         WHERE s.id IN (SELECT id FROM stories ORDER BY hashtext(id::text) LIMIT ${SEARCH_VECTOR_SAMPLE})
           AND s.search_vector IS DISTINCT FROM story_search_document(s.id, s.headline, s.summary)`,
      );
      if (vectors.rows[0]!.count > 0)
        throw new Error(`${vectors.rows[0]!.count} sampled search vectors differ from what the trigger computes`);
      await main.query("DROP SCHEMA bench_gen CASCADE");
    });

    // Statistics for the planner, and visibility maps so that index-only scans need not visit the heap.
    await timed(phases, "vacuum analyze", log, () =>
      onEach(clients, LOADED_TABLES, (client, table) => client.query(`VACUUM (ANALYZE) ${table}`).then(() => {})),
    );

    const rows: Record<string, number> = {};
    for (const table of LOADED_TABLES) {
      rows[table] = (await main.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`)).rows[0]!.count;
    }
    return { published, unpublished, sources, seconds: (performance.now() - started) / 1000, phases, rows };
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }
}
