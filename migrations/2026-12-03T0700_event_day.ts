import { sql, type Kysely } from 'kysely';

/**
 * The day of an event, recorded on the coordinator's tablet and synced with the tablet's ids (so a
 * repeated sync changes nothing): arrivals and walk-ins with the group they describe themselves
 * by (no names), and the closing report's documentation — photos of pin boards (the bytes are in
 * `media`, re-encoded), result cards with dot votes, hosts' notes per table or room.
 * The group list is frozen here as it was on this day; api/src/shared/attendee-groups.ts is the
 * living one (a later migration widens the check when it grows).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_checkin')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('event.id').onDelete('cascade'))
    // The registration ticked; null for a walk-in (or a registration gone since).
    .addColumn('registration_id', 'uuid', (c) => c.references('event_registration.id').onDelete('set null'))
    .addColumn('attendee_group', 'text', (c) =>
      c.check(
        sql`attendee_group is null or attendee_group in ('residents', 'associations', 'migrant_organisations', 'religious_communities', 'welfare', 'education', 'business', 'administration', 'politics', 'other')`,
      ),
    )
    .execute();
  // A registration arrives once, whichever tablet ticked it.
  await sql`create unique index event_checkin_registration_once on event_checkin (registration_id) where registration_id is not null`.execute(db);
  await db.schema.createIndex('event_checkin_event').on('event_checkin').column('event_id').execute();

  // Empty: the report's attendee count is the check-in's.
  await sql`alter table event_report alter column attendees_count drop not null`.execute(db);

  await db.schema
    .createTable('event_report_photo')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('event.id').onDelete('cascade'))
    .addColumn('content_hash', 'text', (c) => c.notNull().references('media.content_hash'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_report_photo_event').on('event_report_photo').column('event_id').execute();

  await db.schema
    .createTable('event_report_card')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('event.id').onDelete('cascade'))
    // Per locale; German required, the others drafts.
    .addColumn('statement', 'jsonb', (c) => c.notNull())
    .addColumn('field_of_action', 'text')
    // The phase (Zukunftswerkstatt) or table / dialogue room it came from, as the host named it.
    .addColumn('origin', 'text')
    .addColumn('dots', 'integer', (c) => c.notNull().defaultTo(0).check(sql`dots >= 0`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_report_card_event').on('event_report_card').column('event_id').execute();

  await db.schema
    .createTable('event_report_note')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('event.id').onDelete('cascade'))
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_report_note_event').on('event_report_note').column('event_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['event_report_note', 'event_report_card', 'event_report_photo', 'event_checkin']) await db.schema.dropTable(table).execute();
  await sql`update event_report set attendees_count = 0 where attendees_count is null`.execute(db);
  await sql`alter table event_report alter column attendees_count set not null`.execute(db);
}
