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
 * Deletes every response (their target-group memberships are a column of the row; interviews and
 * their photo links go by cascade) and every resident's draft, and closes every survey so none takes
 * new answers after the date the welcome page promised. One transaction: all or nothing.
 */
export async function deleteAllAnswers(trx: Kysely<Database>): Promise<AnswerCounts> {
  const { rows } = await sql<{ responses: unknown; interviews: unknown; photos: unknown; drafts: unknown }>`
    select (select count(*) from response) as responses,
           (select count(*) from interview) as interviews,
           (select count(*) from interview_photo) as photos,
           (select count(*) from response_draft) as drafts`.execute(trx);
  const counts = rows[0]!;
  // Interview records and photo links first, though the cascade would take them: explicit is cheaper to read.
  await trx.deleteFrom('interview_photo').execute();
  await trx.deleteFrom('interview').execute();
  await trx.deleteFrom('response').execute();
  await trx.deleteFrom('response_draft').execute();
  await trx.updateTable('survey').set({ status: 'closed' }).where('status', '=', 'open').execute();
  return { responses: count(counts.responses), interviews: count(counts.interviews), interviewPhotos: count(counts.photos), drafts: count(counts.drafts) };
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
