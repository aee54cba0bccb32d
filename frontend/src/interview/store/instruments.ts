import { readSetting, type InterviewDatabase } from './database.ts';
import type { StoredDistrict, StoredInstrument } from './types.ts';

/**
 * Stores a fresh download: the new versions, the districts, and which version new conversations
 * use. Older versions stay while a conversation not yet on the server was recorded with them, so
 * a draft is always finished with the exact version it started on.
 */
export async function saveDownloadedCatalogue(
  db: InterviewDatabase,
  instruments: StoredInstrument[],
  districts: StoredDistrict[],
): Promise<void> {
  const tx = db.transaction(['instruments', 'settings', 'conversations'], 'readwrite');
  const store = tx.objectStore('instruments');
  for (const instrument of instruments) await store.put(instrument);

  const current = new Set(instruments.map((instrument) => `${instrument.slug}@${instrument.version}`));
  const inUse = new Set(
    (await tx.objectStore('conversations').getAll())
      .filter((conversation) => conversation.state !== 'synced')
      .map((conversation) => `${conversation.slug}@${conversation.version}`),
  );
  for (const key of await store.getAllKeys()) {
    const [slug, version] = key;
    const id = `${slug}@${version}`;
    if (!current.has(id) && !inUse.has(id)) await store.delete(key);
  }
  const settings = tx.objectStore('settings');
  await settings.put(districts, 'districts');
  await settings.put(Object.fromEntries(instruments.map((instrument) => [instrument.slug, instrument.version])), 'currentVersions');
  await tx.done;
}

/** The instruments a new conversation can use (the current version of each). */
export async function listCurrentInstruments(db: InterviewDatabase): Promise<StoredInstrument[]> {
  const versions = (await readSetting(db, 'currentVersions')) ?? {};
  const found = await Promise.all(Object.entries(versions).map(([slug, version]) => db.get('instruments', [slug, version])));
  return found.filter((instrument): instrument is StoredInstrument => instrument !== undefined);
}

export function getInstrument(db: InterviewDatabase, slug: string, version: number): Promise<StoredInstrument | undefined> {
  return db.get('instruments', [slug, version]);
}

export async function listDistricts(db: InterviewDatabase): Promise<StoredDistrict[]> {
  return (await readSetting(db, 'districts')) ?? [];
}

export async function hasCatalogue(db: InterviewDatabase): Promise<boolean> {
  return (await listCurrentInstruments(db)).length > 0;
}

