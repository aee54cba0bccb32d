import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The id the response will be sent under, carried by the resume code: a person who continues on
  // a second device and later also presses "send" on the first sends the same response twice,
  // which the server recognises (200 or 409), instead of two responses from one person.
  await db.schema.alterTable('response_draft').addColumn('response_id', 'uuid').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('response_draft').dropColumn('response_id').execute();
}
