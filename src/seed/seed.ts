import { readFile } from "node:fs/promises";
import path from "node:path";
import { assertAttributionFits } from "../attributions/attribution.rules.js";
import type { Database } from "../db/client.js";
import type { AttributionKind, AttributionMethod, SourceKind, SourcingTerms } from "../generated/prisma/client.js";
import { assertAnonymityApprovable, assertSourceConsistent } from "../sources/source.rules.js";
import { recordNewStory } from "../stories/story-edit.js";
import { parseWireStory } from "../wire/wire.parser.js";
import { captionDates, wireContentHash } from "../wire/wire.rules.js";

interface SourceAnnotation {
  key: string;
  kind: SourceKind;
  name: string;
  title?: string;
  affiliation?: string;
  terms?: SourcingTerms;
  anonymousDescription?: string;
  anonymityReason?: string;
  /** Who approved an anonymous source's anonymity before the copy was filed, e.g. the agency ("AP"). */
  anonymityApproval?: { approvedBy: string; note?: string };
}

interface AttributionAnnotation {
  source: string;
  /** Counts body paragraphs from 1, the lede, as an editor would. */
  paragraph: number;
  kind: AttributionKind;
  method?: AttributionMethod;
  quote: string;
}

export interface StoryAnnotations {
  file: string;
  slug: string;
  status: "PUBLISHED" | "DRAFT";
  photo?: { credit?: string; altText?: string };
  sources: SourceAnnotation[];
  attributions: AttributionAnnotation[];
}

export interface SeedResult {
  slug: string;
  storyId: string;
  created: boolean;
}

/** Reads a story file and its annotations, and checks the annotations against the text before anything is written. */
export async function loadAnnotatedStory(annotationsPath: string) {
  const annotations = JSON.parse(await readFile(annotationsPath, "utf8")) as StoryAnnotations;
  const text = await readFile(path.join(path.dirname(annotationsPath), annotations.file), "utf8");
  const wire = parseWireStory(text);
  const keys = new Set(annotations.sources.map((s) => s.key));
  annotations.sources.forEach((source, i) => {
    assertSourceConsistent(source, undefined, `sources[${i}]`);
    if (source.anonymityApproval) assertAnonymityApprovable(source);
  });
  annotations.attributions.forEach((a, i) => {
    const where = `${annotationsPath}: attributions[${i}]`;
    if (!keys.has(a.source)) throw new Error(`${where} names source "${a.source}", which is not in sources`);
    const paragraph = wire.paragraphs[a.paragraph - 1];
    if (paragraph === undefined) throw new Error(`${where} names paragraph ${a.paragraph}; the story has ${wire.paragraphs.length}`);
    if (a.kind === "DIRECT_QUOTE") assertAttributionFits(a, paragraph, where);
    else if (!paragraph.includes(a.quote)) throw new Error(`${where}: "${a.quote}" is not in paragraph ${a.paragraph}`);
  });
  return { annotations, wire, contentHash: wireContentHash(text) };
}

/**
 * Imports an annotated story as filed. A story with its slug, or one the wire importer made from
 * the same file, is left untouched, so running the seed again changes nothing.
 */
export async function seedAnnotatedStory(db: Database, annotationsPath: string): Promise<SeedResult> {
  const { annotations, wire, contentHash } = await loadAnnotatedStory(annotationsPath);
  return db.$transaction(
    async (tx) => {
      // Already seeded, or already imported from the same file by the wire importer.
      const existing = await tx.story.findFirst({ where: { OR: [{ slug: annotations.slug }, { wireContentHash: contentHash }] } });
      if (existing) return { slug: existing.slug, storyId: existing.id, created: false };
      const seededAt = new Date();
      const story = await tx.story.create({
        data: {
          slug: annotations.slug,
          headline: wire.headline,
          dateline: wire.dateline,
          credit: wire.credit,
          // The wire importer then refuses the same file, naming this story, instead of copying it.
          wireContentHash: contentHash,
          status: annotations.status,
          publishedAt: annotations.status === "PUBLISHED" ? seededAt : null,
          firstPublishedAt: annotations.status === "PUBLISHED" ? seededAt : null,
          // The copy names no writer: its byline is the agency, as printed in the dateline.
          bylines: { create: [{ position: 0, name: wire.credit }] },
          paragraphs: { create: wire.paragraphs.map((text, position) => ({ text, position })) },
        },
        include: { paragraphs: { orderBy: { position: "asc" } } },
      });
      if (wire.photo) {
        const photo = await tx.photo.create({
          data: {
            caption: wire.photo.caption,
            credit: wire.photo.credit ?? annotations.photo?.credit ?? null,
            ...captionDates(wire.photo),
            location: wire.photo.location,
            isFilePhoto: wire.photo.isFilePhoto,
            altText: annotations.photo?.altText ?? null,
          },
        });
        await tx.storyPhoto.create({ data: { storyId: story.id, photoId: photo.id, position: 0, role: "LEAD" } });
      }
      const sourceIds = new Map<string, string>();
      for (const { key, anonymityApproval, ...source } of annotations.sources) {
        const found = await tx.source.findFirst({ where: { name: source.name, kind: source.kind } });
        // An approval given before the copy was filed (by the agency) names no user of this newsroom.
        const approval = anonymityApproval ? { anonymityApprovedAt: seededAt, anonymityApprovedById: null } : {};
        sourceIds.set(key, found?.id ?? (await tx.source.create({ data: { ...source, ...approval } })).id);
      }
      await tx.attribution.createMany({
        data: annotations.attributions.map((a) => ({
          storyId: story.id,
          sourceId: sourceIds.get(a.source)!,
          paragraphId: story.paragraphs[a.paragraph - 1]!.id,
          kind: a.kind,
          method: a.method ?? null,
          quote: a.quote,
          confirmed: true,
        })),
      });
      await recordNewStory(tx, story, null, "IMPORTED");
      return { slug: story.slug, storyId: story.id, created: true };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
