import { sql, type Kysely } from 'kysely';

/**
 * The participatory network analysis workshop (Partizipative Netzwerkanalyse): a poster built on
 * a tablet, offline, and synced once under the id the tablet gave it. Its ties go to `actor_tie`
 * (source `workshop`, `workshop_wave` = the workshop's name, and `workshop_id` pointing here);
 * what only the poster has — the actors on it with their places and dots, the clusters with their
 * dots — lives in the tables below. `content_hash` is the hash of what was synced: the same id
 * with the same content is a repeat (stored once), with other content a conflict.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workshop')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 120`))
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.check(sql`topic is null or length(topic) between 1 and 500`))
    // A code of the shared fields-of-action list (checked by the application), or none.
    .addColumn('field_of_action', 'text')
    .addColumn('key_actor_id', 'uuid', (c) => c.notNull().references('actor.id'))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('synced_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('workshop_cluster')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workshop_id', 'uuid', (c) => c.notNull().references('workshop.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 120`))
    .addColumn('dots', 'integer', (c) => c.notNull().defaultTo(0).check(sql`dots >= 0`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workshop_cluster_workshop').on('workshop_cluster').column('workshop_id').execute();

  // An actor on the poster: where it was placed (unit square), its cluster, its dots.
  await db.schema
    .createTable('workshop_actor')
    .addColumn('workshop_id', 'uuid', (c) => c.notNull().references('workshop.id').onDelete('cascade'))
    .addColumn('actor_id', 'uuid', (c) => c.notNull().references('actor.id'))
    .addColumn('cluster_id', 'uuid', (c) => c.references('workshop_cluster.id').onDelete('set null'))
    .addColumn('x', 'double precision', (c) => c.notNull().check(sql`x between 0 and 1`))
    .addColumn('y', 'double precision', (c) => c.notNull().check(sql`y between 0 and 1`))
    .addColumn('dots', 'integer', (c) => c.notNull().defaultTo(0).check(sql`dots >= 0`))
    // Added on the poster (true) or taken from the registry (false).
    .addColumn('added_here', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('workshop_actor_pkey', ['workshop_id', 'actor_id'])
    .execute();
  await db.schema.createIndex('workshop_actor_actor').on('workshop_actor').column('actor_id').execute();

  // The wave's ties keep their text name (older data and the demo have only that) and, from now
  // on, the workshop they were drawn in.
  await db.schema.alterTable('actor_tie').addColumn('workshop_id', 'uuid', (c) => c.references('workshop.id').onDelete('cascade')).execute();
  await sql`alter table actor_tie add constraint actor_tie_workshop_id_source check (workshop_id is null or source = 'workshop')`.execute(db);
  await sql`create index actor_tie_workshop_idx on actor_tie (workshop_id) where workshop_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index actor_tie_workshop_idx`.execute(db);
  await db.schema.alterTable('actor_tie').dropConstraint('actor_tie_workshop_id_source').execute();
  await db.schema.alterTable('actor_tie').dropColumn('workshop_id').execute();
  await db.schema.dropTable('workshop_actor').execute();
  await db.schema.dropTable('workshop_cluster').execute();
  await db.schema.dropTable('workshop').execute();
}
