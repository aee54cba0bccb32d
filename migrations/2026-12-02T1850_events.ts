import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // A participation event (Zukunftswerkstatt, Beteiligungscafé …). Texts are per locale (JSON).
  await db.schema
    .createTable('event')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('zukunftswerkstatt', 'beteiligungscafe', 'stadtgespraech', 'workshop', 'other')`))
    .addColumn('title', 'jsonb', (c) => c.notNull())
    .addColumn('description', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('place_name', 'text', (c) => c.notNull())
    .addColumn('place_address', 'text')
    .addColumn('step_free', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('hearing_loop', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('accessible_toilet', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('accessibility_notes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.check(sql`capacity is null or capacity > 0`))
    .addColumn('registration_deadline', 'timestamptz')
    .addColumn('languages', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('interpretation', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'published', 'cancelled', 'closed')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('event_ends_after_start', sql`ends_at > starts_at`)
    .execute();

  // One invitation per contact and event (the unique key is the "never twice"). Deleted with the
  // contact. Only the hash of the personal link's token is kept.
  await db.schema
    .createTable('event_invitation')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('event.id').onDelete('cascade'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contact.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'sent', 'failed', 'accepted', 'declined')`))
    .addUniqueConstraint('event_invitation_once', ['event_id', 'contact_id'])
    .execute();

  // A registration: contact details of its own, never a response id, no time finer than needed
  // (its place in line is a number, not a moment). A cancelled one keeps no contact details.
  await db.schema
    .createTable('event_registration')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('event.id').onDelete('cascade'))
    .addColumn('invitation_id', 'uuid', (c) => c.references('event_invitation.id').onDelete('set null'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('needs', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('confirmed', 'waiting', 'cancelled')`))
    .addColumn('place_in_line', 'integer', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('cancel_token_hash', 'text', (c) => c.unique())
    .addCheckConstraint('event_registration_channel', sql`status = 'cancelled' or email is not null or phone is not null`)
    .execute();
  // A second active registration with the same address for one event is refused.
  await sql`create unique index event_registration_email_once on event_registration (event_id, lower(email)) where status <> 'cancelled' and email is not null`.execute(db);

  // The closing report (Decidim's: attendees count, attending organisations, results), one per event.
  await db.schema
    .createTable('event_report')
    .addColumn('event_id', 'uuid', (c) => c.primaryKey().references('event.id').onDelete('cascade'))
    .addColumn('attendees_count', 'integer', (c) => c.notNull().check(sql`attendees_count >= 0`))
    .addColumn('organisations', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('results', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The mail queue carries event messages too: to an invited contact, or to a registration.
  await sql`alter table mail_outbox alter column contact_id drop not null`.execute(db);
  await sql`alter table mail_outbox add column invitation_id uuid references event_invitation(id) on delete cascade`.execute(db);
  await sql`alter table mail_outbox add column registration_id uuid references event_registration(id) on delete cascade`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_kind_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind_check check (kind in ('contact_confirmation', 'event_invitation', 'event_registration', 'event_moved_up'))`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_one_target check (
    (kind = 'contact_confirmation' and contact_id is not null and invitation_id is null and registration_id is null)
    or (kind = 'event_invitation' and invitation_id is not null and contact_id is null and registration_id is null)
    or (kind in ('event_registration', 'event_moved_up') and registration_id is not null and contact_id is null and invitation_id is null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from mail_outbox where kind <> 'contact_confirmation'`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_one_target`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_kind_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind_check check (kind in ('contact_confirmation'))`.execute(db);
  await sql`alter table mail_outbox drop column registration_id`.execute(db);
  await sql`alter table mail_outbox drop column invitation_id`.execute(db);
  await sql`alter table mail_outbox alter column contact_id set not null`.execute(db);
  for (const table of ['event_report', 'event_registration', 'event_invitation', 'event']) await db.schema.dropTable(table).execute();
}
