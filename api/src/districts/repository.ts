import type { Kysely } from 'kysely';
import type { Database, District, NewDistrict } from '../db/schema.ts';

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
