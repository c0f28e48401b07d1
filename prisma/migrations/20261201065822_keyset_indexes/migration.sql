-- Indexes for every keyset order, so that a page after a cursor starts at the cursor in an index
-- (src/db/pagination.ts keysetWhere) instead of reading and filtering every row before it.
-- Written by `npm run db:migrate:create`, then edited by hand: Prisma's schema language cannot
-- say NULLS LAST, so the two indexes on published_at are made here as the lists sort it
-- (undated stories last); Prisma's diff does not compare null order, so it sees no drift.

-- DropIndex
DROP INDEX "sources_name_idx";

-- CreateIndex
CREATE INDEX "sources_name_id_idx" ON "sources"("name", "id");

-- CreateIndex
CREATE INDEX "sources_created_at_id_idx" ON "sources"("created_at", "id");

-- The front page's index again, with NULLS LAST: one list order for the public and the desk.
DROP INDEX "stories_status_published_at_id_idx";
CREATE INDEX "stories_status_published_at_id_idx" ON "stories"("status", "published_at" DESC NULLS LAST, "id" DESC);

-- CreateIndex
CREATE INDEX "stories_published_at_id_idx" ON "stories"("published_at" DESC NULLS LAST, "id" DESC);

-- CreateIndex
CREATE INDEX "stories_updated_at_id_idx" ON "stories"("updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "stories_created_at_id_idx" ON "stories"("created_at" DESC, "id" DESC);
