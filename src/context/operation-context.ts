import type { Database } from "../db/client.js";
import type { Viewer } from "../users/users.rules.js";
import type { Loaders } from "./loaders.js";

/** What every service operation receives: no transport, just who asks and where the data is. */
export interface OperationContext {
  db: Database;
  viewer: Viewer;
  loaders: Loaders;
}
