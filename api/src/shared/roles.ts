/** Admins may do everything a coordinator does (see requireRole's callers). */
export type Role = 'admin' | 'analyst' | 'interviewer' | 'coordinator';

/** Every staff role, in the order the admin page lists them. */
export const ROLES: readonly Role[] = ['admin', 'analyst', 'interviewer', 'coordinator'];
