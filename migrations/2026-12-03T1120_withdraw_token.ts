import { type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The withdrawal link gets its own token: until now the confirmation link's token withdrew too
  // (and an invitation's withdrawal token replaced the pending confirmation). Links already sent
  // keep withdrawing: their hash is copied over and found under its old purpose label.
  await db.schema.alterTable('contact').addColumn('withdraw_token_hash', 'text', (c) => c.unique()).execute();
  await db.updateTable('contact').set((eb) => ({ withdraw_token_hash: eb.ref('confirm_token_hash') })).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact').dropColumn('withdraw_token_hash').execute();
}
