-- CreateEnum
CREATE TYPE "StoryStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('REPORTER', 'EDITOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('PERSON', 'ORGANIZATION', 'DOCUMENT', 'ANONYMOUS');

-- CreateEnum
CREATE TYPE "SourcingTerms" AS ENUM ('ON_THE_RECORD', 'ON_BACKGROUND', 'NOT_FOR_ATTRIBUTION');

-- CreateEnum
CREATE TYPE "AttributionKind" AS ENUM ('DIRECT_QUOTE', 'PARAPHRASE', 'STATEMENT');

-- CreateEnum
CREATE TYPE "AttributionMethod" AS ENUM ('TOLD_AGENCY', 'INTERVIEW', 'STATEMENT', 'PRESS_CONFERENCE', 'DOCUMENT', 'SOCIAL_MEDIA', 'OTHER');

-- CreateEnum
CREATE TYPE "PhotoRole" AS ENUM ('LEAD', 'INLINE');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "email" VARCHAR(320),
    "role" "UserRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "label" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stories" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(200) NOT NULL,
    "headline" VARCHAR(300) NOT NULL,
    "summary" VARCHAR(2000),
    "dateline" VARCHAR(100),
    "credit" VARCHAR(100),
    "status" "StoryStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "author_id" UUID,
    "search_vector" tsvector,

    CONSTRAINT "stories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paragraphs" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "text" VARCHAR(10000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "paragraphs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "photos" (
    "id" UUID NOT NULL,
    "url" VARCHAR(2048),
    "caption" VARCHAR(4000),
    "credit" VARCHAR(300),
    "taken_at" TIMESTAMPTZ(3),
    "location" VARCHAR(300),
    "is_file_photo" BOOLEAN NOT NULL DEFAULT false,
    "alt_text" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "photos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "story_photos" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "photo_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "role" "PhotoRole" NOT NULL DEFAULT 'INLINE',
    "caption" VARCHAR(4000),
    "paragraph_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "story_photos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sources" (
    "id" UUID NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "name" VARCHAR(300) NOT NULL,
    "title" VARCHAR(300),
    "affiliation" VARCHAR(300),
    "terms" "SourcingTerms" NOT NULL DEFAULT 'ON_THE_RECORD',
    "anonymous_description" VARCHAR(500),
    "anonymity_reason" VARCHAR(2000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_identity_keepers" (
    "source_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,

    CONSTRAINT "source_identity_keepers_pkey" PRIMARY KEY ("source_id","user_id")
);

-- CreateTable
CREATE TABLE "attributions" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "paragraph_id" UUID NOT NULL,
    "kind" "AttributionKind" NOT NULL,
    "quote" VARCHAR(4000),
    "method" "AttributionMethod",
    "confirmed" BOOLEAN NOT NULL DEFAULT true,
    "confirmed_at" TIMESTAMPTZ(3),
    "confirmed_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "attributions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "stories_slug_key" ON "stories"("slug");

-- CreateIndex
CREATE INDEX "stories_status_published_at_idx" ON "stories"("status", "published_at" DESC);

-- CreateIndex
CREATE INDEX "stories_author_id_idx" ON "stories"("author_id");

-- CreateIndex
CREATE INDEX "stories_search_vector_idx" ON "stories" USING GIN ("search_vector");

-- CreateIndex
CREATE UNIQUE INDEX "paragraphs_story_id_position_key" ON "paragraphs"("story_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "paragraphs_id_story_id_key" ON "paragraphs"("id", "story_id");

-- CreateIndex
CREATE INDEX "story_photos_photo_id_idx" ON "story_photos"("photo_id");

-- CreateIndex
CREATE INDEX "story_photos_paragraph_id_idx" ON "story_photos"("paragraph_id");

-- CreateIndex
CREATE UNIQUE INDEX "story_photos_story_id_photo_id_key" ON "story_photos"("story_id", "photo_id");

-- CreateIndex
CREATE UNIQUE INDEX "story_photos_story_id_position_key" ON "story_photos"("story_id", "position");

-- CreateIndex
CREATE INDEX "sources_name_idx" ON "sources"("name");

-- CreateIndex
CREATE INDEX "source_identity_keepers_user_id_idx" ON "source_identity_keepers"("user_id");

-- CreateIndex
CREATE INDEX "attributions_story_id_idx" ON "attributions"("story_id");

-- CreateIndex
CREATE INDEX "attributions_source_id_idx" ON "attributions"("source_id");

-- CreateIndex
CREATE INDEX "attributions_paragraph_id_story_id_idx" ON "attributions"("paragraph_id", "story_id");

-- CreateIndex
CREATE INDEX "attributions_confirmed_by_id_idx" ON "attributions"("confirmed_by_id");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stories" ADD CONSTRAINT "stories_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "story_photos" ADD CONSTRAINT "story_photos_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "story_photos" ADD CONSTRAINT "story_photos_photo_id_fkey" FOREIGN KEY ("photo_id") REFERENCES "photos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "story_photos" ADD CONSTRAINT "story_photos_paragraph_id_fkey" FOREIGN KEY ("paragraph_id") REFERENCES "paragraphs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_identity_keepers" ADD CONSTRAINT "source_identity_keepers_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_identity_keepers" ADD CONSTRAINT "source_identity_keepers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_story_id_fkey" FOREIGN KEY ("story_id") REFERENCES "stories"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_paragraph_id_story_id_fkey" FOREIGN KEY ("paragraph_id", "story_id") REFERENCES "paragraphs"("id", "story_id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_confirmed_by_id_fkey" FOREIGN KEY ("confirmed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
