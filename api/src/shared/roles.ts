import type { Role } from '../db/schema.ts';

/** Every staff role, in the order the admin page lists them. */
export const ROLES: readonly Role[] = ['admin', 'analyst', 'interviewer', 'coordinator'];
