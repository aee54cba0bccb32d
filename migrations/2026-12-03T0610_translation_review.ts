import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Who marked a locale of an instrument draft or reviewed, and when: one row per survey × locale,
  // rewritten whenever a published version changes that locale's status. The status itself stays in
  // the version's translation_status (part of its content); this row says who set it. marked_by is
  // null when the status came from the file in surveys/ at start-up.
  await db.schema
    .createTable('translation_review')
    .addColumn('survey_slug', 'text', (c) => c.notNull().references('survey.slug').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'reviewed')`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('marked_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('marked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('translation_review_pk', ['survey_slug', 'locale'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('translation_review').execute();
}
