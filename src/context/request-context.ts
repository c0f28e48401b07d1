import type { Logger } from "pino";
import type { PublicationConfig } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { createLoaders } from "./loaders.js";
import type { OperationContext } from "./operation-context.js";
import { authenticate } from "../users/user.service.js";

export interface RequestContext extends OperationContext {
  requestId: string;
  log: Logger;
  /** Who publishes the stories, for the formats that say so (JSON-LD, ninjs). */
  publication: PublicationConfig;
}

/**
 * Builds what one request's resolvers see: who is asking, the database they use, and loaders
 * scoped to them. The token is checked on the primary, so a token issued or revoked a moment ago
 * counts at once. Staff then read there too, so a reporter reads their own write at once; the
 * public reads a streaming replica's copy, which may lag by moments. Transactions always go to the
 * primary (src/db/replicas.ts).
 */
export async function buildContext(
  database: Pick<DatabaseHandle, "prisma" | "publicReads">,
  request: { authorization?: string; requestId: string; log: Logger; publication: PublicationConfig },
): Promise<RequestContext> {
  const viewer = await authenticate(database.prisma, request.authorization);
  const db = viewer ? database.prisma : database.publicReads();
  return {
    db,
    viewer,
    loaders: createLoaders(db, viewer),
    requestId: request.requestId,
    log: request.log.child({ userId: viewer?.id }),
    publication: request.publication,
  };
}
