/**
 * Field lengths, in characters, as the database columns allow them (prisma/schema.prisma). Inputs
 * document and check them; services check what reaches them by other ways (the wire importer).
 */
export const LIMITS = {
  headline: 300,
  slug: 200,
  summary: 2000,
  dateline: 100,
  credit: 100,
  paragraph: 10_000,
  paragraphsPerStory: 500,
  caption: 4000,
  photoCredit: 300,
  quote: 4000,
  sourceName: 300,
  sourceTitle: 300,
  sourceAffiliation: 300,
  anonymousDescription: 500,
  anonymityReason: 2000,
  correctionText: 2000,
  minorEditReason: 500,
  killNotice: 2000,
  bylineName: 200,
  bylineTitle: 200,
  bylineAffiliation: 200,
  bylinesPerStory: 20,
} as const;

/**
 * The dates that every layer can carry: Prisma sends dates to PostgreSQL as ISO strings, whose
 * years have four digits, and PostgreSQL has no year 0. Anything outside fails in SQL.
 */
export const STORABLE_DATES = { from: new Date("0001-01-01T00:00:00.000Z"), to: new Date("9999-12-31T23:59:59.999Z") } as const;

export const isStorableDate = (date: Date) => date >= STORABLE_DATES.from && date <= STORABLE_DATES.to;

/** Text a column can hold: no NUL character, and no lone UTF-16 surrogate (which is not Unicode text). */
export const isStorableText = (value: string) => !value.includes("\u0000") && value.isWellFormed();
