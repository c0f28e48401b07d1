-- DropIndex
DROP INDEX "stories_status_published_at_idx";

-- CreateIndex
CREATE INDEX "stories_status_published_at_id_idx" ON "stories"("status", "published_at" DESC, "id" DESC);
