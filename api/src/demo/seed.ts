import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countDistricts, insertDistricts } from '../districts/index.ts';
import { demoDistricts } from './demo-town.ts';

/**
 * Seeds the demo town into an empty database. A town's real districts, once set, are never touched:
 * the seed only runs when there are none.
 */
export async function seedDemoTown(db: Kysely<Database>, log: (line: string) => void = () => {}): Promise<boolean> {
  if ((await countDistricts(db)) > 0) return false;
  await insertDistricts(db, demoDistricts);
  log(`demo town seeded: ${demoDistricts.length} districts (population figures are illustrative)`);
  return true;
}
