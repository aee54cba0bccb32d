import type { Role } from '../db/schema.ts';

export type { Role };
export const ROLES: readonly Role[] = ['admin', 'analyst', 'interviewer', 'coordinator'];

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
