/** Interviews from the tablets: what other features may use. */
export { interviewerRef, loadInterviewerRefKey } from './interviewer-ref.ts';
export { createInterviewRoutes } from './routes.ts';
export { SYNC_BODY_LIMIT_BYTES, SYNC_MAX_ITEMS } from './sync-schema.ts';
