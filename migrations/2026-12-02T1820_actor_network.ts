import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Organisations and bodies, never persons: a contact person is a contact, not a field here.
  // Codes (kind, fields of action, districts) are checked by the application against the shared
  // code lists, which grow without a migration.
  await db.schema
    .createTable('actor')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('fields_of_action', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('districts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('is_public', 'boolean', (c) => c.notNull().defaultTo(false))
    // A merged duplicate keeps its row (old links and audit entries still name it) and points at
    // the actor it became; its ties and response links have moved there.
    .addColumn('merged_into', 'uuid', (c) => c.references('actor.id'))
    .addColumn('retired_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('actor_not_merged_into_itself', sql`merged_into is null or merged_into <> id`)
    .execute();
  await sql`create index actor_merged_into_idx on actor (merged_into) where merged_into is not null`.execute(db);

  // One observed tie between two actors. Its source is a stakeholder-inventory response or a
  // workshop wave (or staff entering it by hand); each is kept apart so they can be shown apart.
  await db.schema
    .createTable('actor_tie')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('from_actor_id', 'uuid', (c) => c.notNull().references('actor.id'))
    .addColumn('to_actor_id', 'uuid', (c) => c.notNull().references('actor.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('information', 'joint_projects', 'referrals', 'shared_premises', 'funding')`),
    )
    .addColumn('frequency', 'text', (c) => c.check(sql`frequency in ('rarely', 'several_times_a_year', 'monthly', 'weekly')`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('inventory', 'workshop', 'staff')`))
    .addColumn('response_id', 'uuid', (c) => c.references('response.id').onDelete('cascade'))
    .addColumn('workshop_wave', 'text', (c) => c.check(sql`length(workshop_wave) between 1 and 120`))
    .addColumn('observed_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('actor_tie_not_self', sql`from_actor_id <> to_actor_id`)
    .addCheckConstraint(
      'actor_tie_source_reference',
      sql`(source = 'inventory' and response_id is not null and workshop_wave is null)
        or (source = 'workshop' and workshop_wave is not null and response_id is null)
        or (source = 'staff' and response_id is null and workshop_wave is null)`,
    )
    .execute();
  await sql`create index actor_tie_from_idx on actor_tie (from_actor_id)`.execute(db);
  await sql`create index actor_tie_to_idx on actor_tie (to_actor_id)`.execute(db);
  // The same partner named twice with the same kind in one response is one tie.
  await sql`create unique index actor_tie_once_per_response on actor_tie (response_id, from_actor_id, to_actor_id, kind) where response_id is not null`.execute(db);

  // Which actor answered a stakeholder-inventory response (the responding organisation).
  await db.schema
    .createTable('actor_response')
    .addColumn('response_id', 'uuid', (c) => c.primaryKey().references('response.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('actor.id'))
    .execute();
  await sql`create index actor_response_actor_idx on actor_response (actor_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('actor_response').execute();
  await db.schema.dropTable('actor_tie').execute();
  await db.schema.dropTable('actor').execute();
}
