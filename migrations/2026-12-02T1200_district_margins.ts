import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // The figures a statistics office delivers per district: counts by the baseline's age bands and
  // by its genders. They are the returns view's targets and the margins the weighting rakes to.
  await db.schema
    .createTable('district_population_margin')
    .addColumn('district_code', 'text', (col) => col.notNull().references('district.code').onDelete('cascade'))
    .addColumn('dimension', 'text', (col) => col.notNull().check(sql`dimension in ('age_band', 'gender')`))
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull().check(sql`count >= 0`))
    .addPrimaryKeyConstraint('district_population_margin_pk', ['district_code', 'dimension', 'category'])
    .execute();
  await db.schema.alterTable('district').addColumn('population_year', 'integer').execute();
  // A district with responses is never deleted, only retired: it stays in analyses, not in choices.
  await db.schema.alterTable('district').addColumn('retired_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('district').dropColumn('retired_at').execute();
  await db.schema.alterTable('district').dropColumn('population_year').execute();
  await db.schema.dropTable('district_population_margin').execute();
}
