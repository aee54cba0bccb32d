import type { Kysely } from 'kysely';
import type { Database, ResponseMode } from '../db/schema.ts';

export interface NewResponseRow {
  id: string;
  slug: string;
  version: number;
  mode: ResponseMode;
  locale: string;
  district: string | null;
  channel: string | null;
  answers: Record<string, unknown>;
  targetGroups: string[];
  payloadHash: string;
  interviewerRef: string | null;
}

/**
 * Inserts a response unless one with its id exists; true when this call wrote it. `on conflict do
 * nothing` makes concurrent copies of one id wait for the first and then write nothing, on
 * PostgreSQL and PGlite alike, so no amount of retrying makes a second row.
 */
export async function insertResponseOnce(db: Kysely<Database>, row: NewResponseRow): Promise<boolean> {
  const inserted = await db
    .insertInto('response')
    .values({
      id: row.id,
      survey_slug: row.slug,
      survey_version: row.version,
      mode: row.mode,
      locale: row.locale,
      district: row.district,
      channel: row.channel,
      answers: JSON.stringify(row.answers),
      target_groups: JSON.stringify(row.targetGroups),
      payload_hash: row.payloadHash,
      interviewer_ref: row.interviewerRef,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export interface StoredFingerprint {
  slug: string;
  mode: ResponseMode;
  payloadHash: string;
}

/** Enough of a stored response to tell a repeated submission from a different one with the same id. */
export async function findResponseFingerprint(db: Kysely<Database>, id: string): Promise<StoredFingerprint | undefined> {
  return db
    .selectFrom('response')
    .select(['survey_slug as slug', 'mode', 'payload_hash as payloadHash'])
    .where('id', '=', id)
    .executeTakeFirst();
}
