import type { Kysely } from 'kysely';
import type { Database, District, MarginDimension, NewDistrict } from '../db/schema.ts';

export async function listDistricts(db: Kysely<Database>): Promise<District[]> {
  return db.selectFrom('district').selectAll().orderBy('sort_order').orderBy('code').execute();
}

export async function countDistricts(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('district').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertDistricts(db: Kysely<Database>, districts: NewDistrict[]): Promise<void> {
  if (districts.length === 0) return;
  await db.insertInto('district').values(districts).onConflict((oc) => oc.column('code').doNothing()).execute();
}

/** The district codes in display order: the choices of every district question. */
export async function listDistrictCodes(db: Kysely<Database>): Promise<string[]> {
  // Retired districts are no longer a choice: new answers and contacts cannot name them.
  const rows = await db.selectFrom('district').select('code').where('retired_at', 'is', null).orderBy('sort_order').orderBy('code').execute();
  return rows.map((row) => row.code);
}

/** One population count: district × (age band or gender) category. */
export interface PopulationMargin {
  district: string;
  dimension: MarginDimension;
  category: string;
  count: number;
}

/** Every district's population margins (the weighting's targets), in district order. */
export async function listPopulationMargins(db: Kysely<Database>): Promise<PopulationMargin[]> {
  return db
    .selectFrom('district_population_margin as m')
    .innerJoin('district as d', 'd.code', 'm.district_code')
    .select(['m.district_code as district', 'm.dimension', 'm.category', 'm.count'])
    .orderBy('d.sort_order')
    .orderBy('d.code')
    .orderBy('m.dimension')
    .orderBy('m.category')
    .execute();
}

/** Replaces one district's margins (all of them, in one statement pair; call inside a transaction). */
export async function replacePopulationMargins(
  db: Kysely<Database>,
  district: string,
  margins: Array<{ dimension: MarginDimension; category: string; count: number }>,
): Promise<void> {
  await db.deleteFrom('district_population_margin').where('district_code', '=', district).execute();
  if (margins.length === 0) return;
  await db
    .insertInto('district_population_margin')
    .values(margins.map((m) => ({ district_code: district, ...m })))
    .execute();
}

type Db = Kysely<Database>;

/** Districts still offered as a choice (not retired), in display order. */
export async function listActiveDistricts(db: Db): Promise<District[]> {
  return db.selectFrom('district').selectAll().where('retired_at', 'is', null).orderBy('sort_order').orderBy('code').execute();
}

export async function findDistrict(db: Db, code: string): Promise<District | undefined> {
  return db.selectFrom('district').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Creates a district (at the end of the order) or updates its name and population figures. */
export async function upsertDistrict(
  db: Db,
  district: { code: string; name: Record<string, string>; population: number; populationYear: number | null; populationSource: string | null },
): Promise<'created' | 'updated'> {
  const existing = await findDistrict(db, district.code);
  if (existing) {
    await db
      .updateTable('district')
      .set({
        name: JSON.stringify(district.name),
        population: district.population,
        population_year: district.populationYear,
        population_source: district.populationSource,
      })
      .where('code', '=', district.code)
      .execute();
    return 'updated';
  }
  const last = await db.selectFrom('district').select((eb) => eb.fn.max('sort_order').as('last')).executeTakeFirst();
  await db
    .insertInto('district')
    .values({
      code: district.code,
      name: JSON.stringify(district.name),
      population: district.population,
      population_year: district.populationYear,
      population_source: district.populationSource,
      sort_order: Number(last?.last ?? 0) + 1,
    })
    .execute();
  return 'created';
}

/** Puts the named districts first, in the given order; the others keep their order after them. */
export async function reorderDistricts(db: Db, codes: readonly string[]): Promise<void> {
  const all = await listDistricts(db);
  const rest = all.map((d) => d.code).filter((code) => !codes.includes(code));
  const order = [...codes, ...rest];
  for (const [index, code] of order.entries()) {
    await db.updateTable('district').set({ sort_order: index + 1 }).where('code', '=', code).execute();
  }
}

export async function setDistrictRetired(db: Db, code: string, retired: boolean): Promise<boolean> {
  const result = await db
    .updateTable('district')
    .set({ retired_at: retired ? new Date() : null })
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteDistrict(db: Db, code: string): Promise<boolean> {
  const result = await db.deleteFrom('district').where('code', '=', code).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
