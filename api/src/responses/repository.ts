import { sql, type Kysely, type RawBuilder } from 'kysely';
import { PREPARE_ON_POSTGRES } from '../db/prepared-statements.ts';
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
 * Inserts a response if every condition holds (the survey is open, the target-group rules are the
 * ones it was tagged with) and no response with its id exists; true when this call wrote it.
 * `on conflict do nothing` makes concurrent copies of one id wait for the first and then write
 * nothing, on PostgreSQL and PGlite alike, so no amount of retrying makes a second row. The
 * conditions sit in the same statement, so a survey closed a moment ago takes no more.
 * Prepared once per PostgreSQL connection: it runs for every response, and planning its conditions
 * was most of PostgreSQL's work per response. The conditions must therefore take their values as
 * parameters only (today two forms of the text: with and without the resume-code condition).
 */
export async function insertResponseIf(db: Kysely<Database>, row: NewResponseRow, conditions: RawBuilder<boolean>[]): Promise<boolean> {
  const result = await sql<{ id: string }>`${PREPARE_ON_POSTGRES}
    insert into response
      (id, survey_slug, survey_version, mode, locale, district, channel, answers, target_groups, payload_hash, interviewer_ref)
    select ${row.id}::uuid, ${row.slug}, ${row.version}::integer, ${row.mode}, ${row.locale}, ${row.district}, ${row.channel},
      ${JSON.stringify(row.answers)}::jsonb, ${JSON.stringify(row.targetGroups)}::jsonb, ${row.payloadHash}, ${row.interviewerRef}
    where ${sql.join(conditions, sql` and `)}
    on conflict (id) do nothing
    returning id`.execute(db);
  return result.rows.length > 0;
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

/** How many responses name each district (districts without responses are missing). */
export async function countResponsesPerDistrict(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('response')
    .select(['district', (eb) => eb.fn.countAll<number>().as('n')])
    .where('district', 'is not', null)
    .groupBy('district')
    .execute();
  return new Map(rows.map((row) => [row.district!, Number(row.n)]));
}
