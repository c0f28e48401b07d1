import type { Logger } from "pino";
import type { Database } from "../db/client.js";
import { createLoaders } from "./loaders.js";
import type { OperationContext } from "./operation-context.js";
import { authenticate } from "../users/user.service.js";

export interface RequestContext extends OperationContext {
  requestId: string;
  log: Logger;
}

/** Builds what one request's resolvers see: who is asking, and loaders scoped to them. */
export async function buildContext(
  db: Database,
  request: { authorization?: string; requestId: string; log: Logger },
): Promise<RequestContext> {
  const viewer = await authenticate(db, request.authorization);
  return { db, viewer, loaders: createLoaders(db, viewer), requestId: request.requestId, log: request.log.child({ userId: viewer?.id }) };
}
