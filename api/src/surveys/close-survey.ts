import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { deleteDraftsOfSurvey, deleteExpiredDrafts } from '../drafts/index.ts';
import { setSurveyStatus } from './repository.ts';

export interface CloseSurveyResult {
  /** False when there is no survey with this slug. */
  closed: boolean;
  /** Drafts deleted: this survey's, and any other survey's that had expired. */
  draftsDeleted: number;
}

/**
 * Closes a survey: no more responses, and the unfinished answers residents left for it are deleted,
 * because the privacy notice promises drafts do not outlive the survey. One transaction, so a survey
 * is never closed with its drafts still there.
 */
export async function closeSurvey(db: Kysely<Database>, slug: string): Promise<CloseSurveyResult> {
  return db.transaction().execute(async (trx) => {
    const closed = await setSurveyStatus(trx, slug, 'closed');
    if (!closed) return { closed, draftsDeleted: 0 };
    const ofSurvey = await deleteDraftsOfSurvey(trx, slug);
    const expired = await deleteExpiredDrafts(trx);
    return { closed, draftsDeleted: ofSurvey + expired };
  });
}
