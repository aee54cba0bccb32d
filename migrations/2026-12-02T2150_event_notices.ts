import { sql, type Kysely } from 'kysely';

/**
 * Messages to registrants when the town cancels or moves an event, and the reminder before it.
 * `reminder_queued` (a flag, no time: registrations carry none) makes the reminder job queue each
 * reminder once, whichever process runs it; moving an event clears it, so the reminder follows the
 * new date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table event_registration add column reminder_queued boolean not null default false`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_one_target`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_kind_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind_check check (kind in ('contact_confirmation', 'event_invitation', 'event_registration', 'event_moved_up', 'event_cancelled', 'event_moved', 'event_reminder'))`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_one_target check (
    (kind = 'contact_confirmation' and contact_id is not null and invitation_id is null and registration_id is null)
    or (kind = 'event_invitation' and invitation_id is not null and contact_id is null and registration_id is null)
    or (kind in ('event_registration', 'event_moved_up', 'event_cancelled', 'event_moved', 'event_reminder') and registration_id is not null and contact_id is null and invitation_id is null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from mail_outbox where kind in ('event_cancelled', 'event_moved', 'event_reminder')`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_one_target`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_kind_check`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind_check check (kind in ('contact_confirmation', 'event_invitation', 'event_registration', 'event_moved_up'))`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_one_target check (
    (kind = 'contact_confirmation' and contact_id is not null and invitation_id is null and registration_id is null)
    or (kind = 'event_invitation' and invitation_id is not null and contact_id is null and registration_id is null)
    or (kind in ('event_registration', 'event_moved_up') and registration_id is not null and contact_id is null and invitation_id is null))`.execute(db);
  await sql`alter table event_registration drop column reminder_queued`.execute(db);
}
