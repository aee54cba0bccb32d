export { applyDeletionDates, deletionWarnings, scheduleDeletionDates, type RetentionOutcome } from './deletion-dates.ts';
export { createRetentionRoutes } from './routes.ts';
