-- AlterTable
ALTER TABLE "sources" ADD COLUMN     "anonymity_approved_at" TIMESTAMPTZ(3),
ADD COLUMN     "anonymity_approved_by_id" UUID;

-- CreateIndex
CREATE INDEX "sources_anonymity_approved_by_id_idx" ON "sources"("anonymity_approved_by_id");

-- AddForeignKey
ALTER TABLE "sources" ADD CONSTRAINT "sources_anonymity_approved_by_id_fkey" FOREIGN KEY ("anonymity_approved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
