import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What the answers' deletion date removes, counted before it goes (for the audit entry). */
export interface AnswerCounts {
  responses: number;
  interviews: number;
  interviewPhotos: number;
  drafts: number;
}

const count = (n: unknown) => Number(n ?? 0);

/**
 * Deletes the answers of one survey (`slug`) or, without it, of every survey: the responses (their
 * target-group memberships are a column of the row; interviews, their photo links and actor-network
 * answers go by cascade) and the residents' drafts, and closes the survey(s) so none takes new
 * answers after the date the welcome page promised. Within the caller's transaction: all or nothing.
 * The photos themselves (rows in `media`, with their bytes) are the caller's: they may be linked to
 * another survey's interview as well, see `photoHashesOf`.
 */
export async function deleteAnswers(trx: Kysely<Database>, slug?: string): Promise<AnswerCounts> {
  const ofSurvey = slug === undefined ? sql`true` : sql`survey_slug = ${slug}`;
  const responsesOfSurvey = slug === undefined ? sql`true` : sql`response_id in (select id from response where survey_slug = ${slug})`;
  const { rows } = await sql<{ responses: unknown; interviews: unknown; photos: unknown; drafts: unknown }>`
    select (select count(*) from response where ${ofSurvey}) as responses,
           (select count(*) from interview where ${responsesOfSurvey}) as interviews,
           (select count(*) from interview_photo where ${responsesOfSurvey}) as photos,
           (select count(*) from response_draft where ${ofSurvey}) as drafts`.execute(trx);
  const counts = rows[0]!;
  // Interview records and photo links first, though the cascade would take them: explicit is cheaper to read.
  await sql`delete from interview_photo where ${responsesOfSurvey}`.execute(trx);
  await sql`delete from interview where ${responsesOfSurvey}`.execute(trx);
  await sql`delete from response where ${ofSurvey}`.execute(trx);
  await sql`delete from response_draft where ${ofSurvey}`.execute(trx);
  let close = trx.updateTable('survey').set({ status: 'closed' }).where('status', '=', 'open');
  if (slug !== undefined) close = close.where('slug', '=', slug);
  await close.execute();
  return { responses: count(counts.responses), interviews: count(counts.interviews), interviewPhotos: count(counts.photos), drafts: count(counts.drafts) };
}

/** Every survey's answers (the town's date). */
export const deleteAllAnswers = (trx: Kysely<Database>) => deleteAnswers(trx);

/** The content hashes of the photos one survey's interviews link to (read before `deleteAnswers`). */
export async function photoHashesOf(trx: Kysely<Database>, slug: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('interview_photo')
    .innerJoin('response', 'response.id', 'interview_photo.response_id')
    .select('interview_photo.content_hash')
    .distinct()
    .where('response.survey_slug', '=', slug)
    .execute();
  return rows.map((row) => row.content_hash);
}

/** Every survey that has its own answers date, with that date. */
export async function listSurveyDeletionDates(db: Kysely<Database>): Promise<{ slug: string; deletedBy: string }[]> {
  return db
    .selectFrom('survey')
    .select(['slug', sql<string>`to_char(answers_deleted_by, 'YYYY-MM-DD')`.as('deletedBy')])
    .where('answers_deleted_by', 'is not', null)
    .orderBy('slug')
    .execute();
}

/** The surveys whose own answers date is `today` or earlier, with that date. */
export async function surveysDueForDeletion(trx: Kysely<Database>, today: string): Promise<{ slug: string; deletedBy: string }[]> {
  return trx
    .selectFrom('survey')
    .select(['slug', sql<string>`to_char(answers_deleted_by, 'YYYY-MM-DD')`.as('deletedBy')])
    .where('answers_deleted_by', 'is not', null)
    .where(sql<boolean>`answers_deleted_by <= ${today}::date`)
    .orderBy('slug')
    .execute();
}

/**
 * Deletes every contact of people who wanted to get involved, and every event registration. (The contacts feature exports no bulk
 * delete; this is the deletion date's own statement, kept here so the whole promise reads in one place.)
 */
export async function deleteAllContacts(trx: Kysely<Database>): Promise<number> {
  // Opt-ins still waiting in the holding table are contact details too (their queued mail goes with
  // the contact: mail_outbox references it on delete cascade).
  const held = await trx.deleteFrom('contact_intake').executeTakeFirst();
  const result = await trx.deleteFrom('contact').executeTakeFirst();
  // Event registrations are contacts' kin: they go on the same date (invitations went with their
  // contacts by cascade; the events and their reports stay, they hold no one's details).
  const registrations = await trx.deleteFrom('event_registration').executeTakeFirst();
  return Number(result.numDeletedRows) + Number(held.numDeletedRows) + Number(registrations.numDeletedRows);
}
