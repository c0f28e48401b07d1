import { createHash, randomBytes } from "node:crypto";

/** Prefixed so that a leaked token is recognisable to secret scanners and to people. */
export const TOKEN_PREFIX = "nws_";

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The token from an Authorization header; undefined when there is none, null when malformed. */
export function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match ? match[1]! : null;
}
