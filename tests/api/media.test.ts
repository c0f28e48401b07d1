import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachPhotoDocument, CreateStoryDocument, StoryPhotoRenditionsDocument, UploadedPhotoDocument } from "../generated/graphql.js";
import { AP_STORY_FILE, ok, startTestApi, type TestApi } from "../support/api.js";
import { captionedJpeg, pngBomb, type EmbeddedCaption } from "../support/photos.js";

/** The AP story's photo caption, exactly as filed: a FILE photo of Feb. 13, 2018, at Balad Air Base. */
const AP_CAPTION = readFileSync(AP_STORY_FILE, "utf8").split(/\n\s*\n/)[1]!;

const AP_PHOTO: EmbeddedCaption = {
  description: AP_CAPTION,
  creditLine: "AP",
  creator: "Hadi Mizban",
  dateCreated: "2018-02-13T10:20:00Z",
  city: "Balad",
  state: "Salahuddin",
  country: "Iraq",
  copyrightNotice: "Copyright 2018 The Associated Press. All rights reserved.",
  altText: "A soldier stands guard beside a fighter jet on an airfield",
};

/** Small enough that a test can send more, large enough for every photo the tests make. */
const MAX_BYTES = 1024 * 1024;
const IMMUTABLE = "public, max-age=31536000, immutable";

interface UploadAnswer {
  status: number;
  body: any;
}

describe("uploading photos (POST /media/photos)", () => {
  let api: TestApi;
  let origin: string;
  let mediaDir: string;
  let reporter: string;

  beforeAll(async () => {
    mediaDir = mkdtempSync(path.join(os.tmpdir(), "newsroom-media-"));
    api = await startTestApi({ MEDIA_DIR: mediaDir, MEDIA_MAX_BYTES: String(MAX_BYTES) });
    origin = new URL(api.url).origin;
    reporter = (await api.tokenFor("REPORTER")).token;
  });
  afterAll(async () => {
    await api?.close();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  async function upload(
    bytes: Buffer,
    options: { token?: string | null; field?: string; fileName?: string; type?: string; headers?: Record<string, string> } = {},
  ): Promise<UploadAnswer> {
    const { token = reporter, field = "file", fileName = "photo.jpg", type = "image/jpeg", headers = {} } = options;
    const form = new FormData();
    form.append(field, new Blob([new Uint8Array(bytes)], { type }), fileName);
    const response = await fetch(`${origin}/media/photos`, {
      method: "POST",
      body: form,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: response.status, body: await response.json() };
  }

  /** Every file under MEDIA_DIR, by its path there. */
  const filesInMediaDir = () =>
    readdirSync(mediaDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(mediaDir, path.join(entry.parentPath, entry.name)))
      .sort();

  /** Runs a refused upload and checks that it left no photo row and no file behind. */
  async function refused(attempt: () => Promise<UploadAnswer>): Promise<UploadAnswer & { reason?: string; code?: string }> {
    const photosBefore = await api.prisma.photo.count();
    const filesBefore = filesInMediaDir();
    const answer = await attempt();
    expect(await api.prisma.photo.count()).toBe(photosBefore);
    expect(filesInMediaDir()).toEqual(filesBefore);
    const error = answer.body.errors?.[0];
    return { ...answer, code: error?.extensions?.code, reason: error?.extensions?.reason };
  }

  it("fills an AP file photo from its embedded caption, and makes six renditions served immutable", async () => {
    const original = await captionedJpeg({ width: 2000, height: 1200, caption: AP_PHOTO });
    const { status, body } = await upload(original);
    expect(status).toBe(201);
    const { photo } = body;
    expect(photo).toMatchObject({
      caption: AP_CAPTION,
      // The caption as filed closes with no credit of its own, so the file's credit line gives it.
      credit: "AP",
      takenAt: "2018-02-13T10:20:00.000Z",
      location: "Balad Air Base, Iraq",
      isFilePhoto: true,
      originalDate: "2018-02-13",
      width: 2000,
      height: 1200,
      altText: AP_PHOTO.altText,
      creator: "Hadi Mizban",
      copyrightNotice: AP_PHOTO.copyrightNotice,
    });
    expect(photo.renditions.map((r: any) => [r.name, r.width, r.height, r.contentType])).toEqual([
      ["small-jpeg", 320, 192, "image/jpeg"],
      ["small-webp", 320, 192, "image/webp"],
      ["medium-jpeg", 768, 461, "image/jpeg"],
      ["medium-webp", 768, 461, "image/webp"],
      ["large-jpeg", 1600, 960, "image/jpeg"],
      ["large-webp", 1600, 960, "image/webp"],
    ]);

    for (const rendition of photo.renditions) {
      expect(rendition.href).toMatch(/^\/media\/renditions\/[0-9a-f]{64}\/[a-z]+-[a-z]+\.(jpg|webp)$/);
      const served = await fetch(`${origin}${rendition.href}`);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe(rendition.contentType);
      expect(served.headers.get("cache-control")).toBe(IMMUTABLE);
      const bytes = Buffer.from(await served.arrayBuffer());
      expect(bytes.length).toBe(rendition.sizeInBytes);
      const decoded = await sharp(bytes).metadata();
      expect([decoded.format, decoded.width, decoded.height]).toEqual([
        rendition.contentType === "image/webp" ? "webp" : "jpeg",
        rendition.width,
        rendition.height,
      ]);
    }

    const stored = await api.prisma.photo.findUniqueOrThrow({ where: { id: photo.id } });
    expect(stored).toMatchObject({ contentType: "image/jpeg", sizeInBytes: original.length });
    expect(filesInMediaDir()).toContain(`originals/${stored.sha256}.jpg`);
    expect(readFileSync(path.join(mediaDir, `originals/${stored.sha256}.jpg`)).equals(original)).toBe(true);
  });

  it("gives the same photo for the same bytes uploaded again, with one row and one copy of the files", async () => {
    const original = await captionedJpeg({ width: 900, height: 600, caption: AP_PHOTO, seed: 1 });
    const first = await upload(original);
    expect(first.status).toBe(201);
    const files = filesInMediaDir();
    const again = await upload(original, { fileName: "another-name.jpg" });
    expect(again.status).toBe(200);
    expect(again.body.photo).toEqual(first.body.photo);
    const sha256 = (await api.prisma.photo.findUniqueOrThrow({ where: { id: first.body.photo.id } })).sha256;
    expect(await api.prisma.photo.count({ where: { sha256 } })).toBe(1);
    expect(filesInMediaDir()).toEqual(files);
  });

  it("makes one photo of the same bytes uploaded twice at once", async () => {
    const original = await captionedJpeg({ width: 700, height: 500, caption: AP_PHOTO, seed: 11 });
    const answers = await Promise.all([upload(original), upload(original)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(answers[0]!.body.photo.id).toBe(answers[1]!.body.photo.id);
    const { sha256 } = await api.prisma.photo.findUniqueOrThrow({ where: { id: answers[0]!.body.photo.id } });
    expect(filesInMediaDir().filter((file) => file.includes(sha256!))).toHaveLength(5);
    expect(filesInMediaDir().filter((file) => file.startsWith("tmp"))).toEqual([]);
  });

  it("reads IPTC IIM, turns the picture upright, and never enlarges a small original", async () => {
    const original = await captionedJpeg({
      width: 1000,
      height: 600,
      orientation: 6,
      as: "iim",
      seed: 2,
      caption: {
        description: "Volunteers fill sandbags along the river before the flood crest arrives.",
        creditLine: "Jane Roe/Example Agency",
        creator: "Jane Roe",
        dateCreated: "2021-06-05",
        city: "Dresden",
        state: "Saxony",
        country: "Germany",
        copyrightNotice: "(c) 2021 Example Agency",
      },
    });
    const { status, body } = await upload(original);
    expect(status).toBe(201);
    expect(body.photo).toMatchObject({
      caption: "Volunteers fill sandbags along the river before the flood crest arrives.",
      credit: "Jane Roe/Example Agency",
      takenAt: "2021-06-05T00:00:00.000Z",
      location: "Dresden, Saxony, Germany",
      isFilePhoto: false,
      originalDate: null,
      width: 600,
      height: 1000,
      altText: null,
      creator: "Jane Roe",
      copyrightNotice: "(c) 2021 Example Agency",
    });
    // Medium is as wide as the original; large would be too, so there is none.
    expect(body.photo.renditions.map((r: any) => [r.name, r.width, r.height])).toEqual([
      ["small-jpeg", 320, 533],
      ["small-webp", 320, 533],
      ["medium-jpeg", 600, 1000],
      ["medium-webp", 600, 1000],
    ]);
  });

  it("makes a photo of an image without metadata, with nothing filled in", async () => {
    const { status, body } = await upload(await captionedJpeg({ width: 400, height: 300, seed: 3 }));
    expect(status).toBe(201);
    expect(body.photo).toMatchObject({ caption: null, credit: null, takenAt: null, location: null, isFilePhoto: false, width: 400 });
    expect(body.photo.renditions).toHaveLength(4);
  });

  it("refuses a text file named .jpg as not an image, by its content", async () => {
    const answer = await refused(() => upload(Buffer.from("Not a photo at all, just some words.\n".repeat(40)), { fileName: "photo.jpg" }));
    expect(answer).toMatchObject({ status: 415, code: "BAD_USER_INPUT", reason: "UNSUPPORTED_MEDIA_TYPE" });
    expect(answer.body.errors[0].extensions.field).toBe("file");
  });

  it("refuses an image of a type it does not take (GIF) as unsupported", async () => {
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#abc" } })
      .gif()
      .toBuffer();
    const answer = await refused(() => upload(gif, { fileName: "photo.jpg" }));
    expect(answer).toMatchObject({ status: 415, reason: "UNSUPPORTED_MEDIA_TYPE" });
    expect(answer.body.errors[0].message).toContain("image/gif");
  });

  it("refuses a truncated JPEG as corrupt, removing the renditions it had begun", async () => {
    const whole = await captionedJpeg({ width: 1800, height: 1200, caption: AP_PHOTO, seed: 4 });
    const answer = await refused(() => upload(whole.subarray(0, Math.floor(whole.length * 0.6))));
    expect(answer).toMatchObject({ status: 422, code: "BAD_USER_INPUT", reason: "CORRUPT_IMAGE" });
    // Its header reads; the pixel data that rendering reads does not.
    expect(answer.body.errors[0].message).toBe("The image data is damaged or incomplete");
  });

  it("refuses a decompression bomb by its pixel count, before decoding it", async () => {
    const bomb = pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    const header = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([header.format, header.width, header.height]).toEqual(["png", 20_000, 20_000]);
    const answer = await refused(() => upload(bomb, { fileName: "bomb.png", type: "image/png" }));
    expect(answer).toMatchObject({ status: 422, code: "BAD_USER_INPUT", reason: "IMAGE_TOO_LARGE" });
    expect(answer.body.errors[0].extensions).toMatchObject({ width: 20_000, height: 20_000, maxPixels: 150_000_000 });
  });

  it("refuses a file over MEDIA_MAX_BYTES while it streams in", async () => {
    const tooLarge = Buffer.concat([await captionedJpeg({ width: 200, height: 200, seed: 5 }), Buffer.alloc(MAX_BYTES)]);
    const answer = await refused(() => upload(tooLarge));
    expect(answer).toMatchObject({ status: 413, code: "BAD_USER_INPUT", reason: "FILE_TOO_LARGE" });
    expect(answer.body.errors[0].extensions.maxBytes).toBe(MAX_BYTES);
  });

  it("refuses an upload without a Bearer token, a cookie being no token", async () => {
    const photo = await captionedJpeg({ width: 300, height: 200, seed: 6 });
    const anonymous = await refused(() => upload(photo, { token: null }));
    expect(anonymous).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    const cookieOnly = await refused(() => upload(photo, { token: null, headers: { cookie: `token=${reporter}; session=${reporter}` } }));
    expect(cookieOnly).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    const badToken = await refused(() => upload(photo, { token: "not-a-token" }));
    expect(badToken.status).toBe(401);
  });

  it("refuses a request without a file field, or that is not multipart", async () => {
    const photo = await captionedJpeg({ width: 300, height: 200, seed: 7 });
    const otherField = await refused(() => upload(photo, { field: "image" }));
    expect(otherField).toMatchObject({ status: 400, code: "BAD_USER_INPUT", reason: "FILE_MISSING" });
    const notMultipart = await refused(async () => {
      const response = await fetch(`${origin}/media/photos`, {
        method: "POST",
        body: new Uint8Array(photo),
        headers: { authorization: `Bearer ${reporter}`, "content-type": "image/jpeg" },
      });
      return { status: response.status, body: await response.json() };
    });
    expect(notMultipart).toMatchObject({ status: 400, code: "BAD_REQUEST" });
  });

  it("answers 404 for a rendition that does not exist", async () => {
    const response = await fetch(`${origin}/media/renditions/${"0".repeat(64)}/small-jpeg.jpg`);
    expect(response.status).toBe(404);
  });

  it("shows the same photo and renditions in GraphQL, to staff; the public sees an unplaced photo not at all", async () => {
    const { body } = await upload(await captionedJpeg({ width: 1700, height: 1000, caption: AP_PHOTO, seed: 8 }));
    const photo = ok(await api.graphql(UploadedPhotoDocument, { id: body.photo.id }, reporter)).photo;
    expect(photo).toEqual(body.photo);
    expect(ok(await api.graphql(UploadedPhotoDocument, { id: body.photo.id })).photo).toBeNull();
  });

  it("reads the renditions of every photo of a story in one statement", async () => {
    const story = ok(await api.graphql(CreateStoryDocument, { input: { headline: "Two photos of one airfield" } }, reporter)).createStory
      .story!;
    let version = story.version;
    const uploaded: string[] = [];
    for (const seed of [9, 10]) {
      const { body } = await upload(await captionedJpeg({ width: 800, height: 500, caption: AP_PHOTO, seed }));
      uploaded.push(body.photo.id);
      const attached = ok(
        await api.graphql(
          AttachPhotoDocument,
          { input: { storyId: story.id, expectedVersion: version, photoId: body.photo.id } },
          reporter,
        ),
      );
      version = attached.attachPhoto.story!.version;
    }
    api.statements.length = 0;
    const read = ok(await api.graphql(StoryPhotoRenditionsDocument, { id: story.id }, reporter)).story;
    expect(read?.photos.map((placed) => [placed.photo.id, placed.photo.renditions.map((r) => r.width)])).toEqual(
      uploaded.map((id) => [id, [320, 320, 768, 768, 800, 800]]),
    );
    expect(api.statements.filter((sql) => sql.includes('"photo_renditions"'))).toHaveLength(1);
  });
});
