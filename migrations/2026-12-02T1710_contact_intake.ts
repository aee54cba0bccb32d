import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // Accepted opt-ins wait here until the mover shifts them into `contact` in shuffled batches, so
  // that a contact's transaction id and place on disk say nothing about the response before it.
  // No time column: the month is all an invitation needs, and all that is kept.
  await db.schema
    .createTable('contact_intake')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('withdraw_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('topics', 'jsonb', (c) => c.notNull())
    .addColumn('formats', 'jsonb', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.references('district.code'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('consent_text_version', 'text', (c) => c.notNull())
    .addColumn('accepted_month', 'text', (c) => c.notNull().check(sql`accepted_month ~ '^[0-9]{4}-[0-9]{2}$'`))
    .execute();

  // The day a contact was stored joined it to the responses of that day: the month only from now on.
  await db.schema.alterTable('contact').addColumn('created_month', 'text').execute();
  await sql`update contact set created_month = to_char(created_on, 'YYYY-MM')`.execute(db);
  await sql`alter table contact alter column created_month set not null`.execute(db);
  await sql`alter table contact add constraint contact_created_month_format check (created_month ~ '^[0-9]{4}-[0-9]{2}$')`.execute(db);
  await db.schema.alterTable('contact').dropColumn('created_on').execute();

  // Double opt-in: usable once the person clicked the link sent to the address. The token is kept as
  // a hash; `confirm_by` (a Monday, so it names a week, not a day) is when an unconfirmed address is
  // deleted, and is cleared on confirmation. Contacts from before keep confirmed = false and no
  // deadline: nobody confirmed them, nobody deletes them unasked.
  await db.schema.alterTable('contact').addColumn('confirmed', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable('contact').addColumn('confirm_token_hash', 'text', (c) => c.unique()).execute();
  await db.schema.alterTable('contact').addColumn('confirm_by', 'date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contact').dropColumn('confirm_by').execute();
  await db.schema.alterTable('contact').dropColumn('confirm_token_hash').execute();
  await db.schema.alterTable('contact').dropColumn('confirmed').execute();
  await db.schema.alterTable('contact').addColumn('created_on', 'date').execute();
  await sql`update contact set created_on = to_date(created_month || '-01', 'YYYY-MM-DD')`.execute(db);
  await sql`alter table contact alter column created_on set not null`.execute(db);
  await sql`alter table contact alter column created_on set default current_date`.execute(db);
  await db.schema.alterTable('contact').dropColumn('created_month').execute();
  await db.schema.dropTable('contact_intake').execute();
}
