/**
 * A case-insensitive "contains" filter for the words a user typed. Prisma passes the value into a
 * LIKE pattern as it is, so % and _ would act as wildcards; they are escaped to mean themselves.
 */
export function containing(text: string) {
  return { contains: text.replace(/[\\%_]/g, (char) => `\\${char}`), mode: "insensitive" as const };
}
