import type { Kysely } from 'kysely';
import type { Database } from '../../api/src/db/schema.ts';
import { readTownSettings, writeTownSettings } from '../../api/src/town/repository.ts';

/** Renames the (demo) town as an admin would, so that a test can look for the name it set. */
export async function nameTheTown(db: Kysely<Database>, name: string): Promise<void> {
  const settings = await readTownSettings(db);
  if (!settings) throw new Error('the test platform has no town settings to rename');
  await writeTownSettings(db, { ...settings, name: { default: name } });
}
