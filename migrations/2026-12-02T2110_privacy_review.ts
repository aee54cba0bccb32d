import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// Findings of the security review (issue 16): times finer than a day, photos any interviewer
// could reach, and drafts that must be found by response id (only the code's holder submits under
// it) and keep the page the person stopped at.
//
// A time to the microsecond beside an answer can be matched with a reverse proxy's access log (IP
// address and time) and so name the person who answered. Analysis needs the day (returns per day,
// in the town's time zone), so responses and drafts keep midnight of their day in Europe/Berlin and
// nothing finer. Triggers rather than the app's INSERTs: every writer (a restore, a bench, a future
// route) is held to it, and a truncated value passes through unchanged.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function day_in_town(at_time timestamptz) returns timestamptz language sql stable as $$
      select date_trunc('day', at_time, 'Europe/Berlin')
    $$`.execute(db);
  // Midnight of the next day unless already midnight: a draft's promised lifetime never shrinks.
  await sql`
    create function day_in_town_ceiling(at_time timestamptz) returns timestamptz language sql stable as $$
      select case when day_in_town(at_time) = at_time then at_time else day_in_town(at_time) + interval '1 day' end
    $$`.execute(db);

  await sql`
    create function response_keeps_day_only() returns trigger language plpgsql as $$
    begin
      new.submitted_at := day_in_town(new.submitted_at);
      return new;
    end $$`.execute(db);
  await sql`
    create trigger response_day_only before insert or update of submitted_at on response
    for each row execute function response_keeps_day_only()`.execute(db);

  await sql`
    create function draft_keeps_day_only() returns trigger language plpgsql as $$
    begin
      new.updated_at := day_in_town(new.updated_at);
      new.expires_at := day_in_town_ceiling(new.expires_at);
      return new;
    end $$`.execute(db);
  await sql`
    create trigger draft_day_only before insert or update on response_draft
    for each row execute function draft_keeps_day_only()`.execute(db);

  // What is stored already (the triggers do the rounding).
  await sql`update response set submitted_at = submitted_at`.execute(db);
  await sql`update response_draft set updated_at = updated_at`.execute(db);

  // The page the person was on when they saved, so another device continues there (0-based).
  await db.schema.alterTable('response_draft').addColumn('page_index', 'integer').execute();
  // A submission under a draft's response id is checked against the draft's code.
  await db.schema.createIndex('response_draft_response_id_idx').on('response_draft').column('response_id').execute();

  // Who uploaded a photo, as the same pseudonymous interviewer reference responses carry: an
  // interviewer reaches (reads, links into an interview) only photos they uploaded or that belong
  // to their own interviews. An identical upload by someone else adds a row here, not a photo.
  await db.schema
    .createTable('media_uploader')
    .addColumn('content_hash', 'text', (col) => col.notNull().references('media.content_hash').onDelete('cascade'))
    .addColumn('uploader_ref', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('media_uploader_pkey', ['content_hash', 'uploader_ref'])
    .execute();
  // Photos linked before: their interviews' interviewers uploaded them.
  await sql`
    insert into media_uploader (content_hash, uploader_ref)
    select distinct p.content_hash, r.interviewer_ref
    from interview_photo p join response r on r.id = p.response_id
    where r.interviewer_ref is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('media_uploader').execute();
  await db.schema.dropIndex('response_draft_response_id_idx').execute();
  await db.schema.alterTable('response_draft').dropColumn('page_index').execute();
  await sql`drop trigger draft_day_only on response_draft`.execute(db);
  await sql`drop function draft_keeps_day_only()`.execute(db);
  await sql`drop trigger response_day_only on response`.execute(db);
  await sql`drop function response_keeps_day_only()`.execute(db);
  await sql`drop function day_in_town_ceiling(timestamptz)`.execute(db);
  await sql`drop function day_in_town(timestamptz)`.execute(db);
}
