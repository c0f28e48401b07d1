-- Kill and embargo. Written by `npm run db:migrate:create`; the partial index is hand-written, since
-- Prisma's schema language cannot say WHERE (its diff leaves an index it does not know alone).

-- AlterEnum
-- A killed story leaves every public read because it is no longer PUBLISHED; story_counts keeps its
-- count like any status's, and the public-content triggers announce the move out of PUBLISHED.
ALTER TYPE "StoryStatus" ADD VALUE 'KILLED';

-- AlterTable
ALTER TABLE "stories" ADD COLUMN     "embargoed_until" TIMESTAMPTZ(3),
ADD COLUMN     "kill_notice" VARCHAR(2000),
ADD COLUMN     "killed_at" TIMESTAMPTZ(3);

-- The published stories still under embargo, or that were: few at any time, so the public's count
-- (the PUBLISHED count minus those still embargoed) and the response cache's next embargo lift read
-- a handful of index entries, however many stories there are.
CREATE INDEX "stories_published_embargoed_until_idx" ON "stories" ("embargoed_until") WHERE "status" = 'PUBLISHED' AND "embargoed_until" IS NOT NULL;
