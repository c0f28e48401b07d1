import { forbidden, unauthenticated } from "../errors.js";

export type Role = "REPORTER" | "EDITOR" | "ADMIN";

/** Who is asking. Null is the public: a reader or frontend without a token. */
export interface Staff {
  id: string;
  name: string;
  role: Role;
}
export type Viewer = Staff | null;

const rank: Record<Role, number> = { REPORTER: 1, EDITOR: 2, ADMIN: 3 };

export function hasRole(viewer: Viewer, role: Role): boolean {
  return viewer !== null && rank[viewer.role] >= rank[role];
}

/**
 * The staff member a service acts for. Who may call an operation is decided once, by its @Access
 * declaration (src/graphql/access.ts); this only narrows the viewer's type for the service, and
 * refuses the public should a service be reached without that gate.
 */
export function requireStaff(viewer: Viewer): Staff {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The gate of @Access: every operation names the least role it needs; the public needs none. */
export function requireRole(viewer: Viewer, role: Role, action: string): Staff {
  const staff = requireStaff(viewer);
  if (rank[staff.role] < rank[role]) throw forbidden(`${action} needs the ${role} role; you are ${staff.role}`);
  return staff;
}
