-- CreateEnum
CREATE TYPE "CorrectionKind" AS ENUM ('CORRECTION', 'CLARIFICATION', 'EDITORS_NOTE', 'RETRACTION');

-- AlterTable
ALTER TABLE "stories" ADD COLUMN     "first_published_at" TIMESTAMPTZ(3),
ADD COLUMN     "retracted_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "bylines" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "title" VARCHAR(200),
    "affiliation" VARCHAR(200),
    "user_id" UUID,

    CONSTRAINT "bylines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "story_revisions" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "author_id" UUID,
    "content" JSONB NOT NULL,
    "minor_edit_reason" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "story_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "corrections" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" "CorrectionKind" NOT NULL,
    "text" VARCHAR(2000) NOT NULL,
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "corrections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bylines_user_id_idx" ON "bylines"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "bylines_story_id_position_key" ON "bylines"("story_id", "position");

-- CreateIndex
CREATE INDEX "story_revisions_author_id_idx" ON "story_revisions"("author_id");

-- CreateIndex
CREATE UNIQUE INDEX "story_revisions_story_id_version_key" ON "story_revisions"("story_id", "version");

-- CreateIndex
CREATE INDEX "corrections_story_id_created_at_idx" ON "corrections"("story_id", "created_at");

-- CreateIndex
CREATE INDEX "corrections_author_id_idx" ON "corrections"("author_id");

-- AddForeignKey
ALTER TABLE "bylines" ADD CONSTRAINT "bylines_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bylines" ADD CONSTRAINT "bylines_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "story_revisions" ADD CONSTRAINT "story_revisions_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "story_revisions" ADD CONSTRAINT "story_revisions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written from here.

-- Stories already published before this migration reached the public then.
UPDATE "stories" SET "first_published_at" = "published_at" WHERE "published_at" IS NOT NULL;

-- A revision and a correction note are the record of what was printed: never changed afterwards.
-- (They go with their story when a draft is deleted; published stories are archived, not deleted.)
CREATE FUNCTION refuse_rewriting_the_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are the record of what was printed and are never changed', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER story_revisions_never_change BEFORE UPDATE ON "story_revisions"
  FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_the_record();
CREATE TRIGGER corrections_never_change BEFORE UPDATE ON "corrections"
  FOR EACH ROW EXECUTE FUNCTION refuse_rewriting_the_record();

-- Bylines and correction notes print with their story: announce their changes to public caches as
-- paragraphs' are (20261201071000_public_content_notifications).
CREATE TRIGGER bylines_public_change_after_insert
  AFTER INSERT ON "bylines" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER bylines_public_change_after_update
  AFTER UPDATE ON "bylines" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER bylines_public_change_after_delete
  AFTER DELETE ON "bylines" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
CREATE TRIGGER corrections_public_change_after_insert
  AFTER INSERT ON "corrections" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION story_parts_notify_public_change();
