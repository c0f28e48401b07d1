-- CreateTable
CREATE TABLE "story_events" (
    "id" UUID NOT NULL,
    "story_id" UUID NOT NULL,
    "actor_id" UUID,
    "action" VARCHAR(40) NOT NULL,
    "version" INTEGER NOT NULL,
    "from_status" "StoryStatus",
    "to_status" "StoryStatus",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "story_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "story_events_story_id_created_at_idx" ON "story_events"("story_id", "created_at");

-- CreateIndex
CREATE INDEX "story_events_actor_id_idx" ON "story_events"("actor_id");

-- AddForeignKey
ALTER TABLE "story_events" ADD CONSTRAINT "story_events_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
