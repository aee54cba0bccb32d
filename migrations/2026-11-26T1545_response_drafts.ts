import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Unfinished answers for "resume later". The resume code itself is never stored, only its hash.
  await db.schema
    .createTable('response_draft')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('survey_slug', 'text', (c) => c.notNull())
    .addColumn('survey_version', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint('response_draft_version_fk', ['survey_slug', 'survey_version'], 'survey_version', [
      'survey_slug',
      'version',
    ])
    .execute();
  // The purge deletes by expiry; closing a survey deletes by slug.
  await db.schema.createIndex('response_draft_expires_idx').on('response_draft').column('expires_at').execute();
  await db.schema.createIndex('response_draft_survey_idx').on('response_draft').column('survey_slug').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_draft').execute();
}
