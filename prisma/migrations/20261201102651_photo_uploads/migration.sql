-- AlterTable
ALTER TABLE "photos" ADD COLUMN     "content_type" VARCHAR(100),
ADD COLUMN     "copyright_notice" VARCHAR(1000),
ADD COLUMN     "creator" VARCHAR(300),
ADD COLUMN     "height" INTEGER,
ADD COLUMN     "original_date" DATE,
ADD COLUMN     "sha256" CHAR(64),
ADD COLUMN     "size_in_bytes" INTEGER,
ADD COLUMN     "width" INTEGER;

-- CreateTable
CREATE TABLE "photo_renditions" (
    "id" UUID NOT NULL,
    "photo_id" UUID NOT NULL,
    "name" VARCHAR(50) NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "content_type" VARCHAR(100) NOT NULL,
    "size_in_bytes" INTEGER NOT NULL,
    "path" VARCHAR(300) NOT NULL,

    CONSTRAINT "photo_renditions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "photo_renditions_photo_id_name_key" ON "photo_renditions"("photo_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "photos_sha256_key" ON "photos"("sha256");

-- AddForeignKey
ALTER TABLE "photo_renditions" ADD CONSTRAINT "photo_renditions_photo_id_fkey" FOREIGN KEY ("photo_id") REFERENCES "photos"("id") ON DELETE CASCADE ON UPDATE CASCADE;
