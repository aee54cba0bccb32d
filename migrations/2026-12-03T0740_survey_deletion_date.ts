import { type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // A survey's own answers deletion date (a day; null: the town's date applies). Never later than
  // the town's date (the API checks it): the welcome page's "at the latest on" stays true.
  await db.schema.alterTable('survey').addColumn('answers_deleted_by', 'date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('survey').dropColumn('answers_deleted_by').execute();
}
