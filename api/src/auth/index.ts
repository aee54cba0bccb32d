/** Staff accounts and sessions: what other features may use. */
export { attachSessions, CSRF_HEADER, currentSession, requireRole } from './middleware.ts';
export { SessionStore } from './sessions.ts';
export { ROLES, type ActiveSession, type Role, type SessionUser } from './types.ts';
export { AccountError, authenticate, createAccount, type NewAccount } from './accounts.ts';
export { createAuthRoutes } from './routes.ts';
export { listUsers, type UserListRow } from './repository.ts';
export { changeAccountRole, inviteAccount, resetAccountPassword, setAccountDisabled, setPasswordWithLink, signOutEverywhere } from './account-management.ts';
