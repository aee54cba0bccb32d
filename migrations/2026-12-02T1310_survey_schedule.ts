import { type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // An open survey takes answers only inside its window (either end may be open): the server
  // enforces it in the same statement that stores a response.
  await db.schema.alterTable('survey').addColumn('opens_at', 'timestamptz').execute();
  await db.schema.alterTable('survey').addColumn('closes_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey').dropColumn('closes_at').execute();
  await db.schema.alterTable('survey').dropColumn('opens_at').execute();
}
