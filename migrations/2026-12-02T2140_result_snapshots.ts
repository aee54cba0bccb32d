import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // A frozen set of published tables of one survey (already through the cell key method). No
  // foreign key to the survey: deleting a survey's answers must not take its published results.
  await db.schema
    .createTable('result_snapshot')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('survey_slug', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'published')`))
    .addColumn('weighted', 'boolean', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz')
    .addCheckConstraint('result_snapshot_published_at', sql`(status = 'published') = (published_at is not null)`)
    .execute();
  await db.schema.createIndex('result_snapshot_by_survey').on('result_snapshot').columns(['survey_slug', 'published_at']).execute();

  // A published snapshot never changes and is never deleted: the database itself refuses it, so no
  // code path (or later feature) can quietly rewrite what residents were shown. Only the account
  // references may still be cleared when a staff account is deleted.
  await sql`
    create function result_snapshot_frozen() returns trigger language plpgsql as $$
    begin
      if old.status = 'published' then
        if tg_op = 'DELETE' then
          raise exception 'result_snapshot % is published and cannot be deleted', old.id;
        end if;
        if new.content is distinct from old.content or new.status is distinct from old.status
           or new.weighted is distinct from old.weighted or new.survey_slug is distinct from old.survey_slug
           or new.published_at is distinct from old.published_at or new.created_at is distinct from old.created_at then
          raise exception 'result_snapshot % is published and cannot change', old.id;
        end if;
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger result_snapshot_frozen before update or delete on result_snapshot for each row execute function result_snapshot_frozen()`.execute(db);

  // "What happened with your input": a measure of the town per field of action, with its status,
  // and what gave rise to it (published results of a survey, event reports).
  await db.schema
    .createTable('measure')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('field_of_action', 'text', (c) => c.notNull())
    .addColumn('title', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'decided', 'in_progress', 'done', 'dropped')`))
    .addColumn('survey_slug', 'text')
    .addColumn('result_keys', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('event_slugs', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('measure_update')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('measure_id', 'uuid', (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('on_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('proposed', 'decided', 'in_progress', 'done', 'dropped')`))
    .addColumn('text', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('measure_update').execute();
  await db.schema.dropTable('measure').execute();
  await sql`drop trigger result_snapshot_frozen on result_snapshot`.execute(db);
  await sql`drop function result_snapshot_frozen()`.execute(db);
  await db.schema.dropTable('result_snapshot').execute();
}
