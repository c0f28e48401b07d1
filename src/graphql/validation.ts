import { validate, type ValidationError } from "class-validator";
import type { ResolverData } from "type-graphql";
import { badInput } from "../errors.js";
import { isStorableDate, STORABLE_DATES } from "../db/column-limits.js";

interface FieldProblem {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** type-graphql hands over the argument's value but not its name; find which argument it came from. */
function argumentName(value: object, args: Record<string, unknown>): string {
  // A scalar such as a date arrives as it is; input objects arrive converted to their classes.
  const same = Object.entries(args).find(([, arg]) => arg === value);
  if (same) return same[0];
  const objectArgs = Object.entries(args).filter(([, arg]) => arg !== null && typeof arg === "object" && !Array.isArray(arg));
  const match = objectArgs.find(([, arg]) => Object.keys(arg as object).every((key) => key in value));
  return match?.[0] ?? objectArgs[0]?.[0] ?? "input";
}

/**
 * Where, in an argument, the first date lies that the database cannot store. Every DateTime an
 * operation takes arrives through an argument, so this covers them all. The value has been
 * coerced to the schema's input types, whose nesting is shallow, so recursion is safe here.
 */
function unstorableDateAt(value: unknown, path: string): string | undefined {
  if (value instanceof Date) return isStorableDate(value) ? undefined : path;
  if (value === null || typeof value !== "object") return undefined;
  const items = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item] as const)
    : Object.entries(value).map(([key, item]) => [`${path}.${key}`, item] as const);
  for (const [itemPath, item] of items) {
    const found = unstorableDateAt(item, itemPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses dates the database cannot store, then runs class-validator on input objects, and
 * reports the first offending field by its path in the request ("input.headline",
 * "input.paragraphs[3]"), with every problem in extensions.
 */
export async function validateArgument(value: unknown, _type: unknown, resolverData: ResolverData<object>): Promise<void> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const name = argumentName(value, resolverData.args);
  const unstorableDate = unstorableDateAt(value, name);
  if (unstorableDate) {
    const range = `from ${STORABLE_DATES.from.toISOString()} to ${STORABLE_DATES.to.toISOString()}`;
    throw badInput(unstorableDate, `${unstorableDate} must be ${range}`);
  }
  const errors = await validate(value, { skipMissingProperties: true, forbidUnknownValues: false });
  if (errors.length === 0) return;
  const problems = flatten(errors, name);
  const first = problems[0]!;
  throw badInput(first.field, `${first.field}: ${first.messages.join("; ")}`, { problems });
}
