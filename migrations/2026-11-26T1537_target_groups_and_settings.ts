import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Named rules over answers (SurveyJS expressions); membership is stored on each response.
  await db.schema
    .createTable('target_group')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[a-z][a-z0-9_]{0,62}$'`))
    .addColumn('label', 'jsonb', (c) => c.notNull())
    .addColumn('expression', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    // null: the rule applies to responses of every kind of survey.
    .addColumn('survey_kind', 'text', (c) => c.check(sql`survey_kind in ('resident', 'interview', 'stakeholder')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The suppression threshold protects small groups; below 3 it protects nobody, so the database
  // refuses it even if a future code path forgets to check.
  await sql`
    alter table setting add constraint setting_suppression_k_minimum check (
      key <> 'suppression_k' or (jsonb_typeof(value) = 'number' and (value #>> '{}')::numeric >= 3
        and (value #>> '{}')::numeric = trunc((value #>> '{}')::numeric))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('setting').execute();
  await db.schema.dropTable('target_group').execute();
}
