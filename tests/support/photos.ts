/**
 * Image files for upload tests, made here rather than shipped: JPEGs that carry their caption
 * as XMP (written by sharp) and as IPTC IIM (an APP13 segment built by hand, as agencies' tools
 * write it), and a PNG decompression bomb.
 */
import { deflateSync, crc32 } from "node:zlib";
import sharp from "sharp";

/** What an agency embeds in a photo, in IPTC's terms. */
export interface EmbeddedCaption {
  description?: string;
  creditLine?: string;
  creator?: string;
  /** As XMP writes it, e.g. "2018-02-13T10:20:00Z". */
  dateCreated?: string;
  city?: string;
  state?: string;
  country?: string;
  copyrightNotice?: string;
  altText?: string;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const langAlt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`;

/** An XMP packet with IPTC Core's properties, as photo desks' tools write them. */
export function xmpPacket(caption: EmbeddedCaption): string {
  const properties = [
    caption.description && `<dc:description>${langAlt(caption.description)}</dc:description>`,
    caption.creator && `<dc:creator><rdf:Seq><rdf:li>${escapeXml(caption.creator)}</rdf:li></rdf:Seq></dc:creator>`,
    caption.copyrightNotice && `<dc:rights>${langAlt(caption.copyrightNotice)}</dc:rights>`,
    caption.creditLine && `<photoshop:Credit>${escapeXml(caption.creditLine)}</photoshop:Credit>`,
    caption.dateCreated && `<photoshop:DateCreated>${caption.dateCreated}</photoshop:DateCreated>`,
    caption.city && `<photoshop:City>${escapeXml(caption.city)}</photoshop:City>`,
    caption.state && `<photoshop:State>${escapeXml(caption.state)}</photoshop:State>`,
    caption.country && `<photoshop:Country>${escapeXml(caption.country)}</photoshop:Country>`,
    caption.altText && `<Iptc4xmpCore:AltTextAccessibility>${langAlt(caption.altText)}</Iptc4xmpCore:AltTextAccessibility>`,
  ].filter(Boolean);
  return [
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>`,
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`,
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"`,
    ` xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/">`,
    ...properties,
    `</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`,
  ].join("\n");
}

/** IIM datasets of record 2 (IPTC IIM 4.2): the "legacy" block most agency files still carry. */
const IIM_DATASETS = {
  description: 120,
  creditLine: 110,
  creator: 80,
  dateCreated: 55,
  city: 90,
  state: 95,
  country: 101,
  copyrightNotice: 116,
} as const;

const uint16 = (value: number) => Buffer.from([value >> 8, value & 0xff]);
const uint32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};

/** A JPEG APP13 segment: Photoshop's image resource 0x0404 holding IIM, declared UTF-8 (1:90 = ESC % G). */
function iptcSegment(caption: EmbeddedCaption): Buffer {
  const dataset = (record: number, number: number, value: Buffer) =>
    Buffer.concat([Buffer.from([0x1c, record, number]), uint16(value.length), value]);
  const datasets = [dataset(1, 90, Buffer.from("\x1b%G", "latin1"))];
  for (const [key, number] of Object.entries(IIM_DATASETS)) {
    let value = caption[key as keyof typeof IIM_DATASETS];
    if (!value) continue;
    // IIM dates are CCYYMMDD.
    if (key === "dateCreated") value = value.slice(0, 10).replaceAll("-", "");
    datasets.push(dataset(2, number, Buffer.from(value, "utf8")));
  }
  const iim = Buffer.concat(datasets);
  const resource = Buffer.concat([Buffer.from("8BIM"), uint16(0x0404), Buffer.from([0, 0]), uint32(iim.length), iim]);
  const payload = Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), resource, Buffer.alloc(iim.length % 2)]);
  return Buffer.concat([Buffer.from([0xff, 0xed]), uint16(payload.length + 2), payload]);
}

/** Puts a segment after the JPEG's leading APPn segments (JFIF, EXIF, XMP), where readers look for it. */
function withSegment(jpeg: Buffer, segment: Buffer): Buffer {
  let offset = 2;
  while (jpeg[offset] === 0xff && jpeg[offset + 1]! >= 0xe0 && jpeg[offset + 1]! <= 0xef) offset += 2 + jpeg.readUInt16BE(offset + 2);
  return Buffer.concat([jpeg.subarray(0, offset), segment, jpeg.subarray(offset)]);
}

/**
 * A JPEG of the given size, its top half one colour and the rest another (so each size of it
 * differs), with the caption as XMP, IPTC IIM or both. `seed` changes the colours, and so the bytes.
 */
export async function captionedJpeg(options: {
  width: number;
  height: number;
  caption?: EmbeddedCaption;
  as?: "xmp" | "iim" | "both";
  seed?: number;
  /** EXIF orientation: 6 is turned a quarter clockwise, so the upright picture is height x width. */
  orientation?: number;
}): Promise<Buffer> {
  const { width, height, caption, as = "xmp", seed = 0, orientation } = options;
  const top = await sharp({ create: { width, height: Math.ceil(height / 2), channels: 3, background: { r: seed % 256, g: 90, b: 140 } } })
    .png()
    .toBuffer();
  let image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: (seed * 7) % 256, b: 40 } } })
    .composite([{ input: top, top: 0, left: 0 }])
    .jpeg({ quality: 85 });
  if (caption && as !== "iim") image = image.withXmp(xmpPacket(caption));
  if (orientation) image = image.withMetadata({ orientation });
  const jpeg = await image.toBuffer();
  return caption && as !== "xmp" ? withSegment(jpeg, iptcSegment(caption)) : jpeg;
}

/**
 * A valid PNG of width x height pixels, one bit each, all black: tens of kilobytes that decode to
 * width x height pixels. Written with zlib directly, since encoding so many pixels through an
 * image library takes seconds.
 */
export function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    return Buffer.concat([uint32(data.length), body, uint32(crc32(body))]);
  };
  // Bit depth 1, colour type 0 (greyscale), deflate, no filter method choice, no interlace.
  const header = Buffer.concat([uint32(width), uint32(height), Buffer.from([1, 0, 0, 0, 0])]);
  // Each row: filter type 0, then width bits.
  const pixels = deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
