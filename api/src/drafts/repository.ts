import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** How long a draft lives after its last save. */
export const DRAFT_LIFETIME_DAYS = 30;
const expiresFromNow = sql<string>`now() + make_interval(days => ${DRAFT_LIFETIME_DAYS})`;

export interface DraftContent {
  slug: string;
  version: number;
  locale: string;
  answers: Record<string, unknown>;
  /** The response id the draft's devices submit under; a save without one keeps the stored one. */
  responseId?: string;
  /** The page (0-based) the person stopped at; a save without one keeps the stored one. */
  page?: number;
}

export interface StoredDraft extends Omit<DraftContent, 'responseId' | 'page'> {
  /** Null for drafts made without one (pages from before ids were kept). */
  responseId: string | null;
  /** Null for drafts saved before pages were kept. */
  page: number | null;
  expiresAt: Date;
}

export async function insertDraft(db: Db, codeHash: string, draft: DraftContent): Promise<Date> {
  const row = await db
    .insertInto('response_draft')
    .values({
      code_hash: codeHash,
      survey_slug: draft.slug,
      survey_version: draft.version,
      locale: draft.locale,
      answers: JSON.stringify(draft.answers),
      response_id: draft.responseId ?? null,
      page_index: draft.page ?? null,
      expires_at: expiresFromNow,
    })
    .returning('expires_at')
    .executeTakeFirstOrThrow();
  return row.expires_at;
}

/** A draft that has not expired and whose survey is still open. */
export async function findLiveDraft(db: Db, codeHash: string): Promise<StoredDraft | undefined> {
  const row = await db
    .selectFrom('response_draft')
    .innerJoin('survey', 'survey.slug', 'response_draft.survey_slug')
    .select([
      'response_draft.survey_slug as slug',
      'response_draft.survey_version as version',
      'response_draft.locale',
      'response_draft.answers',
      'response_draft.response_id as responseId',
      'response_draft.page_index as page',
      'response_draft.expires_at as expiresAt',
    ])
    .where('response_draft.code_hash', '=', codeHash)
    .where('response_draft.expires_at', '>', sql<Date>`now()`)
    .where('survey.status', '=', 'open')
    .executeTakeFirst();
  return row as StoredDraft | undefined;
}

/** Saves new content into a live draft and restarts its lifetime; undefined when there is none. */
export async function updateLiveDraft(
  db: Db,
  codeHash: string,
  draft: Omit<DraftContent, 'slug'>,
): Promise<{ slug: string; expiresAt: Date } | undefined> {
  return db
    .updateTable('response_draft')
    .set({
      survey_version: draft.version,
      locale: draft.locale,
      answers: JSON.stringify(draft.answers),
      ...(draft.responseId ? { response_id: draft.responseId } : {}),
      ...(draft.page !== undefined ? { page_index: draft.page } : {}),
      updated_at: sql<string>`now()`,
      expires_at: expiresFromNow,
    })
    .where('code_hash', '=', codeHash)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['survey_slug as slug', 'expires_at as expiresAt'])
    .executeTakeFirst();
}

export async function deleteDraft(db: Db, codeHash: string): Promise<boolean> {
  const result = await db.deleteFrom('response_draft').where('code_hash', '=', codeHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteDraftsOfSurvey(db: Db, slug: string): Promise<number> {
  const result = await db.deleteFrom('response_draft').where('survey_slug', '=', slug).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every draft past its expiry; returns how many. Inside a caller's transaction; scheduled runs use the service's purgeExpiredDrafts. */
export async function deleteExpiredDrafts(db: Db): Promise<number> {
  const result = await db.deleteFrom('response_draft').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The code hashes of the live drafts that will be submitted under this response id. */
export async function liveDraftCodeHashesFor(db: Db, responseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('response_draft')
    .select('code_hash')
    .where('response_id', '=', responseId)
    .where('expires_at', '>', sql<Date>`now()`)
    .execute();
  return rows.map((row) => row.code_hash);
}
