import { validate, type ValidationError } from "class-validator";
import type { ResolverData } from "type-graphql";
import { badInput } from "../errors.js";

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
  const objectArgs = Object.entries(args).filter(([, arg]) => arg !== null && typeof arg === "object" && !Array.isArray(arg));
  const match = objectArgs.find(([, arg]) => Object.keys(arg as object).every((key) => key in value));
  return match?.[0] ?? objectArgs[0]?.[0] ?? "input";
}

/**
 * Runs class-validator on input objects and reports the first offending field by its path in the
 * request ("input.headline", "input.paragraphs[3]"), with every problem in extensions.
 */
export async function validateArgument(value: unknown, _type: unknown, resolverData: ResolverData<object>): Promise<void> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const errors = await validate(value, { skipMissingProperties: true, forbidUnknownValues: false });
  if (errors.length === 0) return;
  const problems = flatten(errors, argumentName(value, resolverData.args));
  const first = problems[0]!;
  throw badInput(first.field, `${first.field}: ${first.messages.join("; ")}`, { problems });
}
