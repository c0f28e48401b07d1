-- Hand-written: the live desk (src/live/). Who is editing which story, and the notifications that
-- carry the audit trail and token changes to every API instance.

-- One row per staff member editing a story, renewed by their heartbeats (beginEditing again); a
-- row whose expires_at has passed is no longer listed, and the sweep removes and reports it.
CREATE TABLE "editing_leases" (
    "story_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "editing_leases_pkey" PRIMARY KEY ("story_id","user_id")
);

CREATE INDEX "editing_leases_expires_at_idx" ON "editing_leases"("expires_at");
CREATE INDEX "editing_leases_user_id_idx" ON "editing_leases"("user_id");

ALTER TABLE "editing_leases" ADD CONSTRAINT "editing_leases_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "editing_leases" ADD CONSTRAINT "editing_leases_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every committed row of the audit trail is announced with its id: NOTIFY is delivered at commit,
-- in commit order, and never for a transaction that rolls back, so subscribers hear exactly the
-- changes that happened, whoever wrote them (the API, the wire importer, psql).
CREATE FUNCTION story_events_notify_committed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('story_event_committed', NEW.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER story_events_notify_after_insert
  AFTER INSERT ON story_events
  FOR EACH ROW EXECUTE FUNCTION story_events_notify_committed();

-- A token revoked, expired or deleted, or its user disabled or given another role: each instance
-- checks again the live connections of that user (payload: the user id).
CREATE FUNCTION api_tokens_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('user_credentials_changed', OLD.user_id::text);
  ELSE
    PERFORM pg_notify('user_credentials_changed', NEW.user_id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER api_tokens_notify_after_update
  AFTER UPDATE OF revoked_at, expires_at ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION api_tokens_notify_changed();
CREATE TRIGGER api_tokens_notify_after_delete
  AFTER DELETE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION api_tokens_notify_changed();

CREATE FUNCTION users_notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('user_credentials_changed', NEW.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER users_notify_after_update
  AFTER UPDATE OF disabled_at, role ON users
  FOR EACH ROW EXECUTE FUNCTION users_notify_credentials_changed();

-- A lease started: every instance sweeps lapsed leases while any remain, and is idle otherwise.
CREATE FUNCTION editing_leases_notify_started() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('editing_lease_started', NEW.story_id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER editing_leases_notify_after_insert
  AFTER INSERT ON editing_leases
  FOR EACH ROW EXECUTE FUNCTION editing_leases_notify_started();
