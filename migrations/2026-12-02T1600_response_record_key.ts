import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The cell key method's record key: a fixed random number per response (0 … 2^31−1), drawn by the
  // database at insert (and for every existing row: a volatile default is evaluated per row when the
  // column is added). From gen_random_uuid's strong randomness, never from the response id, which
  // the respondent's device chose and could be known to someone else.
  await db.schema
    .alterTable('response')
    .addColumn('record_key', 'integer', (col) =>
      col.notNull().defaultTo(sql`(('x' || substr(gen_random_uuid()::text, 1, 8))::bit(32)::int & 2147483647)`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('response').dropColumn('record_key').execute();
}
