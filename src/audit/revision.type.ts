import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CorrectionKind } from "./audit.inputs.js";
import { Connection } from "../graphql/connection.js";
import { AttributionKind, PhotoRole } from "../graphql/enums.js";

@ObjectType("RevisionByline", { description: "A byline as a revision printed it" })
export class RevisionBylineType {
  @Field(() => String)
  name!: string;
  @Field(() => String, { nullable: true })
  title!: string | null;
  @Field(() => String, { nullable: true })
  affiliation!: string | null;
}

@ObjectType("RevisionParagraph", { description: "A paragraph as a revision printed it; its id is the paragraph's, stable across versions" })
export class RevisionParagraphType {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  text!: string;
}

@ObjectType("RevisionPhoto", { description: "A photo placement as a revision printed it" })
export class RevisionPhotoType {
  @Field(() => ID, { description: "The placement (StoryPhoto) id" })
  placementId!: string;
  @Field(() => ID)
  photoId!: string;
  @Field(() => PhotoRole)
  role!: PhotoRole;
  @Field(() => String, { nullable: true, description: "As printed: the story's own caption, else the photo's" })
  caption!: string | null;
  @Field(() => String, { nullable: true })
  credit!: string | null;
}

@ObjectType("RevisionSource", { description: "A source as readers saw it in this revision (an anonymous one by its description)" })
export class RevisionSourceType {
  @Field(() => String)
  name!: string;
  @Field(() => String, { nullable: true })
  title!: string | null;
  @Field(() => String, { nullable: true })
  affiliation!: string | null;
}

@ObjectType("RevisionAttribution", { description: "A confirmed attribution as a revision printed it" })
export class RevisionAttributionType {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  paragraphId!: string;
  @Field(() => AttributionKind)
  kind!: AttributionKind;
  @Field(() => String, { nullable: true })
  quote!: string | null;
  @Field(() => RevisionSourceType)
  source!: RevisionSourceType;
}

@ObjectType("StoryRevision", { description: "What a story printed at one version; immutable. Staff only" })
export class StoryRevisionType {
  @Field(() => Int)
  version!: number;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => String, { description: "The change that made it: CREATED, UPDATED, PUBLISHED, REVISION_RESTORED..." })
  action!: string;

  @Field(() => String, { nullable: true, description: "Why a change to published text needed no correction note" })
  minorEditReason!: string | null;

  @Field(() => String)
  headline!: string;
  @Field(() => String, { nullable: true })
  summary!: string | null;
  @Field(() => String, { nullable: true })
  dateline!: string | null;
  @Field(() => String, { nullable: true })
  credit!: string | null;
  @Field(() => [RevisionBylineType])
  bylines!: RevisionBylineType[];
  @Field(() => [RevisionParagraphType])
  paragraphs!: RevisionParagraphType[];
  @Field(() => [RevisionPhotoType])
  photos!: RevisionPhotoType[];
  @Field(() => [RevisionAttributionType])
  attributions!: RevisionAttributionType[];

  id!: string;
  authorId!: string | null;
}

export const StoryRevisionConnection = Connection("StoryRevision", StoryRevisionType, {
  totalCount: "How many revisions the story has: one per version",
});

export enum ParagraphChange {
  ADDED = "ADDED",
  REMOVED = "REMOVED",
  CHANGED = "CHANGED",
  MOVED = "MOVED",
}
registerEnumType(ParagraphChange, { name: "ParagraphChange" });

export enum WordChangeKind {
  ADDED = "ADDED",
  REMOVED = "REMOVED",
  UNCHANGED = "UNCHANGED",
}
registerEnumType(WordChangeKind, { name: "WordChangeKind" });

@ObjectType("WordChange", { description: "A run of words: added, removed, or unchanged between them, in reading order" })
export class WordChangeType {
  @Field(() => WordChangeKind)
  change!: WordChangeKind;
  @Field(() => String)
  text!: string;
}

@ObjectType("ParagraphDiff", { description: "One paragraph that differs between two revisions, by its stable id" })
export class ParagraphDiffType {
  @Field(() => ID)
  paragraphId!: string;
  @Field(() => ParagraphChange)
  change!: ParagraphChange;
  @Field(() => String, { nullable: true, description: "The text in the earlier revision; null when ADDED" })
  before!: string | null;
  @Field(() => String, { nullable: true, description: "The text in the later revision; null when REMOVED" })
  after!: string | null;
  @Field(() => Int, { nullable: true, description: "0 for the lede" })
  fromPosition!: number | null;
  @Field(() => Int, { nullable: true })
  toPosition!: number | null;
  @Field(() => [WordChangeType], { description: "For a CHANGED paragraph, word by word; empty otherwise" })
  words!: WordChangeType[];
}

@ObjectType("FieldDiff", { description: "A story field (headline, summary, dateline, credit) that differs between two revisions" })
export class FieldDiffType {
  @Field(() => String)
  field!: string;
  @Field(() => String, { nullable: true })
  before!: string | null;
  @Field(() => String, { nullable: true })
  after!: string | null;
  @Field(() => [WordChangeType])
  words!: WordChangeType[];
}

@ObjectType("StoryDiff", { description: "Two revisions of a story compared" })
export class StoryDiffType {
  @Field(() => ID)
  storyId!: string;
  @Field(() => Int)
  fromVersion!: number;
  @Field(() => Int)
  toVersion!: number;
  @Field(() => [FieldDiffType])
  fields!: FieldDiffType[];
  @Field(() => [ParagraphDiffType], { description: "Paragraphs added, removed, changed or moved, in the later revision's order" })
  paragraphs!: ParagraphDiffType[];
}

@ObjectType("Correction", { description: "A public note on a change to a published story; newest first on Story.corrections" })
export class CorrectionType {
  @Field(() => ID)
  id!: string;
  @Field(() => CorrectionKind)
  kind!: CorrectionKind;
  @Field(() => String)
  text!: string;
  @Field(() => DateTimeResolver)
  createdAt!: Date;
  @Field(() => Int, { description: "The story version (and revision) the note came with" })
  version!: number;
}
