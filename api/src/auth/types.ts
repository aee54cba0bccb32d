import type { Role } from '../db/schema.ts';

export type { Role };
export { ROLES } from '../shared/roles.ts';

/** The signed-in staff member, as routes see them after `requireRole`. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
}

export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
  user: SessionUser;
}
