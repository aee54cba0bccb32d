export { applyDeletionDates, deletionWarnings, scheduleDeletionDates, type DeletionWarning, type RetentionOutcome } from './deletion-dates.ts';
export { createRetentionRoutes } from './routes.ts';
