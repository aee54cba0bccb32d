import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertInterview(
  db: Db,
  interview: { responseId: string; conductedOn: string; photos: readonly string[] },
): Promise<void> {
  await db
    .insertInto('interview')
    .values({ response_id: interview.responseId, conducted_on: interview.conductedOn })
    .execute();
  if (interview.photos.length === 0) return;
  await db
    .insertInto('interview_photo')
    .values(interview.photos.map((contentHash, position) => ({ response_id: interview.responseId, content_hash: contentHash, position })))
    .execute();
}

export async function findInterview(db: Db, responseId: string): Promise<{ conductedOn: string; photos: string[] } | undefined> {
  const row = await db
    .selectFrom('interview')
    .select(sql<string>`conducted_on::text`.as('conductedOn'))
    .where('response_id', '=', responseId)
    .executeTakeFirst();
  if (!row) return undefined;
  const photos = await db
    .selectFrom('interview_photo')
    .select('content_hash')
    .where('response_id', '=', responseId)
    .orderBy('position')
    .execute();
  return { conductedOn: row.conductedOn, photos: photos.map((photo) => photo.content_hash) };
}

export interface OverviewFilter {
  slug?: string;
  from?: string;
  to?: string;
}

export interface OverviewRow {
  day: string;
  interviewerRef: string | null;
  district: string | null;
  slug: string;
  interviews: number;
}

/**
 * Interviews per day, interviewer reference, district and instrument, counted by the database.
 * Reads the response table's pseudonymous interviewer column, which exists for exactly this view.
 */
export async function countInterviews(db: Db, filter: OverviewFilter): Promise<OverviewRow[]> {
  let query = db
    .selectFrom('interview')
    .innerJoin('response', 'response.id', 'interview.response_id')
    .select([
      sql<string>`interview.conducted_on::text`.as('day'),
      'response.interviewer_ref as interviewerRef',
      'response.district',
      'response.survey_slug as slug',
      sql<number>`count(*)::int`.as('interviews'),
    ])
    .groupBy(['interview.conducted_on', 'response.interviewer_ref', 'response.district', 'response.survey_slug']);
  if (filter.slug) query = query.where('response.survey_slug', '=', filter.slug);
  if (filter.from) query = query.where('interview.conducted_on', '>=', sql<Date>`${filter.from}::date`);
  if (filter.to) query = query.where('interview.conducted_on', '<=', sql<Date>`${filter.to}::date`);
  return query
    .orderBy('interview.conducted_on', 'desc')
    .orderBy('response.interviewer_ref')
    .orderBy('response.district')
    .orderBy('response.survey_slug')
    .execute();
}
