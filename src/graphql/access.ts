import { createMethodMiddlewareDecorator } from "type-graphql";
import type { RequestContext } from "../context/request-context.js";
import { requireRole, type Role } from "../users/users.rules.js";

export type AccessLevel = "PUBLIC" | Role;

/** Which access each resolver method declared, by "ResolverClass.method"; a schema test checks none is missing. */
export const declaredAccess = new Map<string, AccessLevel>();

/**
 * Every query and mutation says who may call it: PUBLIC, or the least role. This is an
 * operation's one role check, visible where the operation is declared; services keep only the
 * finer editorial rules (own drafts, workflow states).
 */
export function Access(level: AccessLevel): MethodDecorator {
  const check = createMethodMiddlewareDecorator<RequestContext>(async ({ context, info }, next) => {
    if (level !== "PUBLIC") requireRole(context.viewer, level, `${info.parentType.name}.${info.fieldName}`);
    return next();
  });
  return (target, key, descriptor) => {
    declaredAccess.set(`${target.constructor.name}.${String(key)}`, level);
    return check(target, key, descriptor);
  };
}
