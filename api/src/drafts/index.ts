export { createDraftRoutes } from './routes.ts';
export { createDraft, deleteDraftsOfSurvey, deleteExpiredDrafts, discardDraft, purgeExpiredDrafts, readDraft, saveDraft } from './service.ts';
export { DRAFT_LIFETIME_DAYS } from './repository.ts';
