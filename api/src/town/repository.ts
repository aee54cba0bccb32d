import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { readSetting, writeSetting } from '../settings/index.ts';
import { townSettingsSchema, type TownSettings } from './settings-schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

const TOWN_SETTING = 'town';

/** The town's stored settings, or null while none are saved (or what is stored no longer parses). */
export async function readTownSettings(db: Db): Promise<TownSettings | null> {
  const stored = await readSetting(db, TOWN_SETTING);
  if (stored === undefined) return null;
  const parsed = townSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export async function writeTownSettings(db: Db, settings: TownSettings): Promise<void> {
  await writeSetting(db, TOWN_SETTING, settings);
}
