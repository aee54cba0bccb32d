import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('district')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'jsonb', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.check(sql`population >= 0`))
    .addColumn('population_source', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('survey')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('resident', 'interview', 'stakeholder')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('survey_version')
    .addColumn('survey_slug', 'text', (c) => c.notNull().references('survey.slug'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('locales', 'jsonb', (c) => c.notNull())
    .addColumn('translation_status', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('survey_version_pk', ['survey_slug', 'version'])
    .addUniqueConstraint('survey_version_hash_unique', ['survey_slug', 'content_hash'])
    .execute();

  // Responses point at versions, so a version must never change after it is written.
  await sql`
    create function forbid_survey_version_change() returns trigger language plpgsql as $$
    begin
      raise exception 'survey versions are immutable (% %)', old.survey_slug, old.version;
    end $$`.execute(db);
  await sql`
    create trigger survey_version_immutable before update or delete on survey_version
    for each row execute function forbid_survey_version_change()`.execute(db);

  await db.schema
    .createTable('response')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('survey_slug', 'text', (c) => c.notNull())
    .addColumn('survey_version', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('online', 'interview')`))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.references('district.code'))
    .addColumn('channel', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('target_groups', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('interviewer_ref', 'text')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint('response_version_fk', ['survey_slug', 'survey_version'], 'survey_version', [
      'survey_slug',
      'version',
    ])
    .execute();
  await db.schema.createIndex('response_survey_idx').on('response').columns(['survey_slug', 'district']).execute();

  // Kept apart from responses on purpose: no column here can join a contact to a response.
  await db.schema
    .createTable('contact')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('withdraw_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('topics', 'jsonb', (c) => c.notNull())
    .addColumn('formats', 'jsonb', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.references('district.code'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('consent_text_version', 'text', (c) => c.notNull())
    .addColumn('created_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .execute();

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'analyst', 'interviewer')`))
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    .execute();
  await sql`create unique index app_user_email_unique on app_user (lower(email))`.execute(db);

  await db.schema
    .createTable('session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('media')
    .addColumn('content_hash', 'text', (c) => c.primaryKey())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('response_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'media', 'session', 'app_user', 'contact', 'response']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop trigger survey_version_immutable on survey_version`.execute(db);
  await sql`drop function forbid_survey_version_change()`.execute(db);
  for (const table of ['survey_version', 'survey', 'district']) {
    await db.schema.dropTable(table).execute();
  }
}
