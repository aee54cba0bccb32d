import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // A counter that moves with every change to the target-group rules, however it is made. The app
  // keeps the rules in memory and stores a response only while the counter still has the value
  // those rules were read at, so no response is ever tagged by rules that have since changed.
  await sql`
    create table target_group_revision (
      only_row boolean primary key default true check (only_row),
      revision bigint not null
    )`.execute(db);
  await sql`insert into target_group_revision (only_row, revision) values (true, 1)`.execute(db);
  await sql`
    create function bump_target_group_revision() returns trigger language plpgsql as $$
    begin
      update target_group_revision set revision = revision + 1;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger target_group_changed after insert or update or delete or truncate on target_group
    for each statement execute function bump_target_group_revision()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger target_group_changed on target_group`.execute(db);
  await sql`drop function bump_target_group_revision()`.execute(db);
  await sql`drop table target_group_revision`.execute(db);
}
