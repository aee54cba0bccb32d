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
  const rows = await db.selectFrom('district').select('code').orderBy('sort_order').orderBy('code').execute();
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
