import type { Database } from "../db/client.js";
import { badInput, notFound, unauthenticated } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import { type OperationContext } from "../context/operation-context.js";
import { inTransaction } from "../db/transaction.js";
import { isUuid } from "../db/ids.js";
import { bearerToken, generateToken, hashToken } from "./token.rules.js";
import type { Role, Viewer } from "./users.rules.js";

/**
 * Who sends the request. No Authorization header is the public; a header that does not name a
 * live token is refused outright rather than quietly treated as public, so a client with an
 * expired token learns it at once.
 */
export async function authenticate(db: Database, authorization: string | undefined): Promise<Viewer> {
  const token = bearerToken(authorization);
  if (token === undefined) return null;
  if (token === null) throw unauthenticated("The Authorization header must read: Bearer <token>");
  const found = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  const now = new Date();
  if (!found || found.revokedAt || (found.expiresAt && found.expiresAt <= now) || found.user.disabledAt) {
    throw unauthenticated("The token is unknown, revoked or expired");
  }
  return { id: found.user.id, name: found.user.name, role: found.user.role };
}

export function viewerUser(ctx: OperationContext): Promise<User | null> {
  return ctx.viewer ? ctx.db.user.findUnique({ where: { id: ctx.viewer.id } }) : Promise.resolve(null);
}

export interface IssuedToken {
  user: User;
  token: string;
}

/** Creates the user when no user of that name exists, then issues a token; used by the token CLI. */
export async function issueTokenForName(
  db: Database,
  input: { name: string; role: Role; label?: string },
): Promise<IssuedToken & { created: boolean }> {
  const name = input.name.trim();
  if (name === "" || name.length > 200) throw badInput("name", "name is 1 to 200 characters");
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findFirst({ where: { name }, orderBy: { createdAt: "asc" } });
    const user =
      existing && existing.role === input.role
        ? existing
        : existing
          ? await tx.user.update({ where: { id: existing.id }, data: { role: input.role } })
          : await tx.user.create({ data: { name, role: input.role } });
    const token = generateToken();
    await tx.apiToken.create({ data: { userId: user.id, tokenHash: hashToken(token), label: input.label ?? "cli" } });
    return { user, token, created: !existing };
  });
}

export async function createUser(ctx: OperationContext, input: { name: string; email?: string | null; role: Role }): Promise<User> {
  if (input.name.trim() === "") throw badInput("input.name", "A user needs a name");
  return inTransaction(ctx, (tx) =>
    tx.user.create({ data: { name: input.name.trim(), email: input.email?.trim() || null, role: input.role } }),
  );
}

export async function issueToken(
  ctx: OperationContext,
  input: { userId: string; label?: string | null; expiresAt?: Date | null },
): Promise<IssuedToken> {
  if (input.expiresAt && input.expiresAt <= new Date()) throw badInput("input.expiresAt", "expiresAt must be in the future");
  return inTransaction(ctx, async (tx) => {
    const user = isUuid(input.userId) ? await tx.user.findUnique({ where: { id: input.userId } }) : null;
    if (!user) throw notFound("User", input.userId, "input.userId");
    const token = generateToken();
    await tx.apiToken.create({
      data: { userId: user.id, tokenHash: hashToken(token), label: input.label ?? null, expiresAt: input.expiresAt ?? null },
    });
    return { user, token };
  });
}

/** Revokes every live token of a user: the way to lock someone out at once. */
export async function revokeTokens(ctx: OperationContext, userId: string): Promise<number> {
  if (!isUuid(userId)) throw notFound("User", userId, "userId");
  return inTransaction(ctx, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("User", userId, "userId");
    const { count } = await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    return count;
  });
}
