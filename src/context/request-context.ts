import type { Logger } from "pino";
import type { PublicationConfig } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import type { Viewer } from "../users/users.rules.js";
import { createLoaders } from "./loaders.js";
import type { OperationContext } from "./operation-context.js";
import { authenticate } from "../users/user.service.js";

/** What the server's configuration says to the services (src/config.ts). */
export interface ServiceSettings {
  /** How long a beginEditing lease lasts without another heartbeat. */
  editingLeaseSeconds: number;
}

export interface RequestContext extends OperationContext {
  requestId: string;
  log: Logger;
  settings: ServiceSettings;
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
  request: { authorization?: string; requestId: string; log: Logger; settings: ServiceSettings; publication: PublicationConfig },
): Promise<RequestContext> {
  const viewer = await authenticate(database.prisma, request.authorization);
  return contextFor(viewer ? database.prisma : database.publicReads(), viewer, request);
}

/** The context of an operation by a viewer already authenticated, on the database given. */
export function contextFor(
  db: OperationContext["db"],
  viewer: Viewer,
  request: { requestId: string; log: Logger; settings: ServiceSettings; publication: PublicationConfig },
): RequestContext {
  return {
    db,
    viewer,
    loaders: createLoaders(db, viewer),
    requestId: request.requestId,
    // The public's lines need no user; a child logger per request is not free.
    log: viewer ? request.log.child({ userId: viewer.id }) : request.log,
    settings: request.settings,
    publication: request.publication,
  };
}
