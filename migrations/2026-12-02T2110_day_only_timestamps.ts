import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
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
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger draft_day_only on response_draft`.execute(db);
  await sql`drop function draft_keeps_day_only()`.execute(db);
  await sql`drop trigger response_day_only on response`.execute(db);
  await sql`drop function response_keeps_day_only()`.execute(db);
  await sql`drop function day_in_town_ceiling(timestamptz)`.execute(db);
  await sql`drop function day_in_town(timestamptz)`.execute(db);
}
