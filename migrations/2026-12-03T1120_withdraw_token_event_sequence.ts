import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The withdrawal link gets its own token: until now the confirmation link's token withdrew too
  // (and an invitation's withdrawal token replaced the pending confirmation). Links already sent
  // keep withdrawing: their hash is copied over and found under its old purpose label.
  await db.schema.alterTable('contact').addColumn('withdraw_token_hash', 'text', (c) => c.unique()).execute();
  await db.updateTable('contact').set((eb) => ({ withdraw_token_hash: eb.ref('confirm_token_hash') })).execute();

  // The calendar file's SEQUENCE (RFC 5545): raised on every change of time, place or status, so a
  // calendar takes the newer file for the same UID as an update instead of ignoring it.
  await db.schema.alterTable('event').addColumn('ics_sequence', 'integer', (c) => c.notNull().defaultTo(0).check(sql`ics_sequence >= 0`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('event').dropColumn('ics_sequence').execute();
  await db.schema.alterTable('contact').dropColumn('withdraw_token_hash').execute();
}
