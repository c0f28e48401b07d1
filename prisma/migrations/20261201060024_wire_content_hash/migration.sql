-- AlterTable
ALTER TABLE "stories" ADD COLUMN     "wire_content_hash" CHAR(64);

-- CreateIndex
CREATE UNIQUE INDEX "stories_wire_content_hash_key" ON "stories"("wire_content_hash");
