-- Hand-written: Prisma's schema language cannot express triggers. These keep two rules in the
-- database itself, so that no writer (API, importer, seed, psql) can break them.

-- Full-text search. A story's search_vector is kept from its headline (weight A), summary (B) and
-- paragraphs in order (C), in English; the GIN index on it comes from the init migration.
CREATE FUNCTION story_search_document(p_story_id uuid, p_headline text, p_summary text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('english', coalesce(p_headline, '')), 'A')
      || setweight(to_tsvector('english', coalesce(p_summary, '')), 'B')
      || setweight(to_tsvector('english', coalesce(
           (SELECT string_agg(p.text, E'\n' ORDER BY p.position) FROM paragraphs p WHERE p.story_id = p_story_id),
           '')), 'C')
$$;

CREATE FUNCTION stories_set_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := story_search_document(NEW.id, NEW.headline, NEW.summary);
  RETURN NEW;
END
$$;

CREATE TRIGGER stories_search_vector
  BEFORE INSERT OR UPDATE OF headline, summary ON stories
  FOR EACH ROW EXECUTE FUNCTION stories_set_search_vector();

-- Statement-level with transition tables: renumbering or importing many paragraphs refreshes each
-- story once per statement, not once per row.
CREATE FUNCTION paragraphs_refresh_story_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE stories s SET search_vector = story_search_document(s.id, s.headline, s.summary)
     WHERE s.id IN (SELECT story_id FROM changed_rows);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE stories s SET search_vector = story_search_document(s.id, s.headline, s.summary)
     WHERE s.id IN (SELECT story_id FROM removed_rows);
  ELSE
    UPDATE stories s SET search_vector = story_search_document(s.id, s.headline, s.summary)
     WHERE s.id IN (SELECT story_id FROM changed_rows UNION SELECT story_id FROM removed_rows);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER paragraphs_search_after_insert
  AFTER INSERT ON paragraphs REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paragraphs_refresh_story_search();
CREATE TRIGGER paragraphs_search_after_update
  AFTER UPDATE ON paragraphs REFERENCING NEW TABLE AS changed_rows OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paragraphs_refresh_story_search();
CREATE TRIGGER paragraphs_search_after_delete
  AFTER DELETE ON paragraphs REFERENCING OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION paragraphs_refresh_story_search();

-- A direct quote must stand verbatim in its paragraph. Curly and straight quote marks count as the
-- same mark, because wire copy mixes them. The same folding is in src/attributions/attributions.rules.ts.
CREATE FUNCTION fold_quote_marks(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(t, '“”„‟‘’‚‛', '""""''''''''')
$$;

-- Deferred to commit, so one transaction may edit a paragraph and its quotes together; checks the
-- rows as they stand at commit, not as they were when the trigger was queued.
CREATE FUNCTION attributions_check_direct_quote() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  offending record;
BEGIN
  SELECT a.id, a.quote, p.id AS paragraph_id INTO offending
    FROM attributions a JOIN paragraphs p ON p.id = a.paragraph_id
   WHERE a.id = NEW.id AND a.kind = 'DIRECT_QUOTE'
     AND (a.quote IS NULL OR a.quote = ''
          OR strpos(fold_quote_marks(p.text), fold_quote_marks(a.quote)) = 0);
  IF FOUND THEN
    RAISE EXCEPTION 'direct quote does not appear verbatim in its paragraph (attribution %, paragraph %)',
      offending.id, offending.paragraph_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'attributions_direct_quote_verbatim';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER attributions_direct_quote_verbatim
  AFTER INSERT OR UPDATE OF kind, quote, paragraph_id ON attributions
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION attributions_check_direct_quote();

CREATE FUNCTION paragraphs_check_direct_quotes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  offending record;
BEGIN
  SELECT a.id, a.quote INTO offending
    FROM attributions a JOIN paragraphs p ON p.id = a.paragraph_id
   WHERE p.id = NEW.id AND a.kind = 'DIRECT_QUOTE'
     AND strpos(fold_quote_marks(p.text), fold_quote_marks(a.quote)) = 0
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'direct quote does not appear verbatim in its paragraph (attribution %, paragraph %)',
      offending.id, NEW.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'attributions_direct_quote_verbatim';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER paragraphs_keep_direct_quotes
  AFTER UPDATE OF text ON paragraphs
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION paragraphs_check_direct_quotes();
