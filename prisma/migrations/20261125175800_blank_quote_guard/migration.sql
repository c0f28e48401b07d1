-- Hand-written. The verbatim-quote guard let a direct quote of only white space through, which
-- the API's rule (src/attributions/attribution.rules.ts) refuses; the two now agree.
CREATE OR REPLACE FUNCTION attributions_check_direct_quote() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  offending record;
BEGIN
  SELECT a.id, a.quote, p.id AS paragraph_id INTO offending
    FROM attributions a JOIN paragraphs p ON p.id = a.paragraph_id
   WHERE a.id = NEW.id AND a.kind = 'DIRECT_QUOTE'
     AND (a.quote IS NULL OR btrim(a.quote) = ''
          OR strpos(fold_quote_marks(p.text), fold_quote_marks(a.quote)) = 0);
  IF FOUND THEN
    RAISE EXCEPTION 'direct quote does not appear verbatim in its paragraph (attribution %, paragraph %)',
      offending.id, offending.paragraph_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'attributions_direct_quote_verbatim';
  END IF;
  RETURN NULL;
END
$$;
