import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Counts from 1 to k−1 are never published; k is per project. */
export const DEFAULT_SUPPRESSION_K = 5;
/** Below 3 a published count can single out a person together with one other fact; the database enforces it too. */
export const MIN_SUPPRESSION_K = 3;
/** Above this nearly every district × target group cell would be hidden; a typo guard, not a privacy rule. */
export const MAX_SUPPRESSION_K = 100;

const SUPPRESSION_K = 'suppression_k';

export class SettingError extends Error {
  constructor(
    readonly code: 'suppression_k_out_of_range',
    message: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}

/** A stored setting's value (parsed JSON), or undefined when none is stored. */
export async function readSetting(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: sql<Date>`now()` }))
    .execute();
}

/** The project's suppression threshold k (default 5); a stored value below the minimum is never used. */
export async function getSuppressionThreshold(db: Db): Promise<number> {
  const stored = await readSetting(db, SUPPRESSION_K);
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= MIN_SUPPRESSION_K
    ? stored
    : DEFAULT_SUPPRESSION_K;
}

export async function setSuppressionThreshold(db: Db, k: number): Promise<void> {
  if (!Number.isInteger(k) || k < MIN_SUPPRESSION_K || k > MAX_SUPPRESSION_K) {
    throw new SettingError(
      'suppression_k_out_of_range',
      `the suppression threshold must be a whole number from ${MIN_SUPPRESSION_K} to ${MAX_SUPPRESSION_K}`,
    );
  }
  await writeSetting(db, SUPPRESSION_K, k);
}
