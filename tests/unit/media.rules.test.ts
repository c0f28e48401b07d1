import { describe, expect, it } from "vitest";
import {
  embeddedMetadataOf,
  metadataDate,
  overlongField,
  presentRendition,
  renditionPlan,
  uploadedPhotoFields,
  type EmbeddedMetadata,
} from "../../src/media/media.rules.js";

const NONE: EmbeddedMetadata = {
  caption: null,
  creditLine: null,
  creator: null,
  dateTaken: null,
  city: null,
  state: null,
  country: null,
  copyrightNotice: null,
  altText: null,
};

describe("embeddedMetadataOf", () => {
  it("takes XMP before IPTC IIM, and IIM before EXIF", () => {
    const metadata = embeddedMetadataOf({
      dc: {
        description: { lang: "x-default", value: "XMP caption" },
        creator: ["Ana Lima", "Bo Chen"],
        rights: { lang: "x-default", value: "© 2024 Agency" },
      },
      photoshop: { Credit: "XMP credit", DateCreated: "2024-03-05T08:30:00+02:00", City: "Lisbon" },
      Iptc4xmpCore: { AltTextAccessibility: { lang: "x-default", value: "Alt text" } },
      iptc: { Caption: "IIM caption", Credit: "IIM credit", Byline: "IIM creator", State: "Lisboa", Country: "Portugal" },
      ifd0: { ImageDescription: "EXIF caption", Artist: "EXIF artist", Copyright: "EXIF rights" },
    });
    expect(metadata).toEqual({
      caption: "XMP caption",
      creditLine: "XMP credit",
      creator: "Ana Lima, Bo Chen",
      dateTaken: new Date("2024-03-05T06:30:00.000Z"),
      city: "Lisbon",
      state: "Lisboa",
      country: "Portugal",
      copyrightNotice: "© 2024 Agency",
      altText: "Alt text",
    });
  });

  it("falls back to IIM's date and time, then to EXIF's fields", () => {
    expect(embeddedMetadataOf({ iptc: { DateCreated: "20210605", TimeCreated: "143000+0200" } }).dateTaken).toEqual(
      new Date("2021-06-05T12:30:00.000Z"),
    );
    const exifOnly = embeddedMetadataOf({
      ifd0: { ImageDescription: "  Described  ", Artist: "EXIF artist", Copyright: "EXIF rights" },
      exif: { DateTimeOriginal: new Date("2020-01-02T03:04:05.000Z") },
    });
    expect(exifOnly).toEqual({
      ...NONE,
      caption: "Described",
      creator: "EXIF artist",
      copyrightNotice: "EXIF rights",
      dateTaken: new Date("2020-01-02T03:04:05.000Z"),
    });
  });

  it("gives nothing for a file without metadata, or blank values", () => {
    expect(embeddedMetadataOf(undefined)).toEqual(NONE);
    expect(embeddedMetadataOf({ dc: { description: { lang: "x-default", value: "  " } }, iptc: { Caption: "" } })).toEqual(NONE);
  });
});

describe("metadataDate", () => {
  it.each([
    ["2018-02-13T10:20:00Z", "2018-02-13T10:20:00.000Z"],
    ["2018-02-13T10:20:00+03:00", "2018-02-13T07:20:00.000Z"],
    ["2018-02-13T10:20:00.25-0500", "2018-02-13T15:20:00.250Z"],
    ["2018-02-13T10:20", "2018-02-13T10:20:00.000Z"],
    ["2018-02-13", "2018-02-13T00:00:00.000Z"],
    ["20180213", "2018-02-13T00:00:00.000Z"],
  ])("reads %s as %s (UTC without an offset)", (text, iso) => {
    expect(metadataDate(text)?.toISOString()).toBe(iso);
  });

  it.each(["2018-02-30", "2018-13-01", "yesterday", "", "2018"])("gives no date for %j", (text) => {
    expect(metadataDate(text)).toBeNull();
  });

  it("keeps a valid Date and refuses an invalid one", () => {
    expect(metadataDate(new Date("2020-01-01T00:00:00Z"))?.toISOString()).toBe("2020-01-01T00:00:00.000Z");
    expect(metadataDate(new Date("nonsense"))).toBeNull();
  });
});

describe("uploadedPhotoFields", () => {
  it("reads an AP file photo's caption by the wire importer's rules: credit, place, file flag and original day", () => {
    const caption = "FILE - Firefighters work at the scene in Oakland, Calif., on Monday, Jan. 8, 2024. (AP Photo/Jane Doe, File)";
    expect(
      uploadedPhotoFields({ ...NONE, caption, creditLine: "AP", city: "Oakland", state: "California", country: "United States" }),
    ).toEqual({
      caption,
      credit: "AP Photo/Jane Doe",
      takenAt: new Date("2024-01-08T00:00:00.000Z"),
      location: "Oakland, Calif.",
      isFilePhoto: true,
      originalDate: new Date("2024-01-08T00:00:00.000Z"),
      altText: null,
      creator: null,
      copyrightNotice: null,
    });
  });

  it("takes the file's date of creation before the caption's day, and its city, state and country when the caption names no place", () => {
    const fields = uploadedPhotoFields({
      ...NONE,
      caption: "Volunteers fill sandbags before the crest, June 5, 2021.",
      creditLine: "Jane Roe/Example Agency",
      dateTaken: new Date("2021-06-05T14:30:00.000Z"),
      city: "Dresden",
      country: "Germany",
    });
    expect(fields).toMatchObject({
      credit: "Jane Roe/Example Agency",
      takenAt: new Date("2021-06-05T14:30:00.000Z"),
      location: "Dresden, Germany",
      isFilePhoto: false,
      originalDate: null,
    });
  });

  it("fills nothing from a file without a caption or place", () => {
    expect(uploadedPhotoFields(NONE)).toEqual({
      caption: null,
      credit: null,
      takenAt: null,
      location: null,
      isFilePhoto: false,
      originalDate: null,
      altText: null,
      creator: null,
      copyrightNotice: null,
    });
  });
});

describe("overlongField", () => {
  it("names the first embedded text longer than its column", () => {
    const fields = uploadedPhotoFields({ ...NONE, caption: "A caption.", creator: "x".repeat(301) });
    expect(overlongField(fields)).toEqual({ field: "creator", max: 300 });
    expect(overlongField(uploadedPhotoFields({ ...NONE, caption: "x".repeat(4000) }))).toBeNull();
    expect(overlongField(uploadedPhotoFields({ ...NONE, caption: "x".repeat(4001) }))).toEqual({ field: "caption", max: 4000 });
  });
});

describe("renditionPlan", () => {
  const widths = (width: number) => renditionPlan(width).map((r) => `${r.name}:${r.width}`);

  it("makes each size in WebP and JPEG for a wide original", () => {
    expect(widths(4000)).toEqual([
      "small-webp:320",
      "small-jpeg:320",
      "medium-webp:768",
      "medium-jpeg:768",
      "large-webp:1600",
      "large-jpeg:1600",
    ]);
    expect(renditionPlan(4000)[1]).toEqual({
      name: "small-jpeg",
      width: 320,
      format: "jpeg",
      contentType: "image/jpeg",
      fileName: "small-jpeg.jpg",
    });
  });

  it("never enlarges: a size as wide as a smaller one is left out", () => {
    expect(widths(1000)).toEqual([
      "small-webp:320",
      "small-jpeg:320",
      "medium-webp:768",
      "medium-jpeg:768",
      "large-webp:1000",
      "large-jpeg:1000",
    ]);
    expect(widths(768)).toEqual(["small-webp:320", "small-jpeg:320", "medium-webp:768", "medium-jpeg:768"]);
    expect(widths(100)).toEqual(["small-webp:100", "small-jpeg:100"]);
  });
});

describe("presentRendition", () => {
  it("gives the address under /media instead of the file's path", () => {
    expect(
      presentRendition({
        name: "small-webp",
        path: "renditions/abc/small-webp.webp",
        width: 320,
        height: 200,
        contentType: "image/webp",
        sizeInBytes: 9,
      }),
    ).toEqual({
      name: "small-webp",
      href: "/media/renditions/abc/small-webp.webp",
      width: 320,
      height: 200,
      contentType: "image/webp",
      sizeInBytes: 9,
    });
  });
});
