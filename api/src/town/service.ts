import { logoUrl } from './logo.ts';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { getSuppressionThreshold, setSuppressionThreshold } from '../settings/index.ts';
import { readTownSettings, writeTownSettings } from './repository.ts';
import type { PublicTown, TownSettings } from './settings-schema.ts';

/** What every page shows about the town, and k. */
export async function publicTown(db: Kysely<Database>): Promise<PublicTown> {
  const [settings, suppressionK, logo] = await Promise.all([readTownSettings(db), getSuppressionThreshold(db), logoUrl(db)]);
  // `logoUrl` only when there is a logo, so the answer of a town without one stays as it was.
  const withLogo = logo ? { logoUrl: logo } : {};
  return settings ? { configured: true, suppressionK, ...settings, ...withLogo } : { configured: false, suppressionK, ...withLogo };
}

/**
 * The town's name as a message in `locale` names it: the admin's name for that locale, else the
 * default one; "Vielstimmig" only while the town has not been set up (no survey is open then).
 * Read when a message is sent, so a renamed town needs no restart.
 */
export async function townNameIn(db: Kysely<Database>, locale: string): Promise<string> {
  const name = (await readTownSettings(db))?.name as Record<string, string | undefined> | undefined;
  return name?.[locale] || name?.default || 'Vielstimmig';
}

/**
 * Whether a survey may be open to the public: the consent text names the data-protection contact
 * and the deletion date, so without them it would be false.
 */
export async function townIsSetUp(db: Kysely<Database>): Promise<boolean> {
  return (await readTownSettings(db)) !== null;
}

export async function requireTownSetUp(db: Kysely<Database>): Promise<void> {
  if (!(await townIsSetUp(db))) throw new ApiError(409, 'town_not_set_up');
}

/** The field paths of the deletion dates that moved to today or earlier (the job would purge at once). */
export function deletionDatesNotInFuture(settings: TownSettings, previous: TownSettings | null, today: string): string[] {
  const fields = ['answersDeletedBy', 'contactsDeletedBy'] as const;
  return fields.filter((field) => settings[field] <= today && settings[field] !== previous?.[field]);
}

/** Saves the settings (and k, when given) in one transaction and writes what changed to the audit log. */
export async function saveTownSettings(
  db: Kysely<Database>,
  actorId: string,
  settings: TownSettings,
  suppressionK: number | undefined,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const previous = await readTownSettings(trx);
    await writeTownSettings(trx, settings);
    const changed = previous
      ? (Object.keys(settings) as (keyof TownSettings)[]).filter((key) => JSON.stringify(settings[key]) !== JSON.stringify(previous[key]))
      : Object.keys(settings);
    const details: Record<string, unknown> = { changed };
    // Dates are not personal data; say what they were and became, since they decide deletions.
    for (const key of ['answersDeletedBy', 'contactsDeletedBy'] as const) {
      if (previous?.[key] !== settings[key]) details[key] = { previous: previous?.[key] ?? null, now: settings[key] };
    }
    if (suppressionK !== undefined) {
      const previousK = await getSuppressionThreshold(trx);
      if (previousK !== suppressionK) {
        await setSuppressionThreshold(trx, suppressionK);
        details.suppressionK = { previous: previousK, now: suppressionK };
      }
    }
    await recordAudit(trx, { actorId, action: 'town.update', details });
  });
}
