import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import path from 'node:path';
import { runExclusively } from '../jobs/run-exclusively.ts';
import { CONTENT_HASH_PATTERN, legacyMediaDirOf, legacyMediaPath } from './media-files.ts';
import { deleteUnlinkedMedia, fillMediaBytes, mediaHashesWithBytes } from './repository.ts';
import type { MediaDeps } from './service.ts';

/**
 * How long a photo may wait on the server for the conversation that shows it. The tablet uploads
 * photos a moment before their conversation, so a photo still unlinked after two weeks belongs to a
 * conversation that was rejected and never fixed, or to a tablet that was lost. Photos can show
 * people and places, so they do not stay for nothing; should the conversation come after all, the
 * server answers `photo_not_uploaded` and the tablet, which keeps its photos until the conversation
 * is stored, uploads them again.
 */
export const UNLINKED_PHOTO_GRACE_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes photos (row with image and thumbnail) that no interview links to and that were last
 * uploaded more than the grace period ago; returns how many. Through runExclusively: with several
 * processes, one purges and the others skip (0) rather than doing the same work at once.
 */
export async function purgeUnlinkedPhotos(deps: MediaDeps, now = new Date()): Promise<number> {
  const uploadedBefore = new Date(now.getTime() - UNLINKED_PHOTO_GRACE_DAYS * DAY_MS);
  try {
    const outcome = await runExclusively(deps.db, 'photo-purge', async (trx) => (await deleteUnlinkedMedia(trx, uploadedBefore)).length);
    return outcome.ran ? outcome.result : 0;
  } catch (error) {
    // A photo got linked while we looked (foreign key): nothing was deleted; the next run tries again.
    if ((error as { code?: unknown }).code === '23503') return 0;
    throw error;
  }
}

/**
 * At start-up: moves photos an earlier version kept in `DATA_DIR/media` into their rows and removes
 * the files once their bytes are in the database; files without a row older than the grace period
 * (left by a crash between file and row) and temporary files of interrupted writes go as well.
 * Returns how many files were removed. One process at a time (runExclusively); a folder that is
 * gone or empty costs one readdir.
 */
export async function importLegacyMediaFiles(deps: MediaDeps, now = new Date()): Promise<{ imported: number; removed: number }> {
  const mediaDir = legacyMediaDirOf(deps.dataDir);
  let names: string[];
  try {
    names = await fs.readdir(mediaDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { imported: 0, removed: 0 };
    throw error;
  }
  if (names.length === 0) return { imported: 0, removed: 0 };
  const outcome = await runExclusively(deps.db, 'media-import', async (trx) => {
    // A town has thousands of photos, not millions: one query for all their hashes is fine at start-up.
    const stored = await mediaHashesWithBytes(trx);
    let imported = 0;
    for (const [hash, hasBytes] of stored) {
      if (hasBytes) continue;
      const [image, thumbnail] = await Promise.all(
        (['image', 'thumbnail'] as const).map((variant) => fs.readFile(legacyMediaPath(mediaDir, hash, variant)).catch(() => null)),
      );
      if (!image || !thumbnail) continue;
      await fillMediaBytes(trx, hash, image, thumbnail);
      stored.set(hash, true);
      imported++;
    }
    return { stored, imported };
  });
  if (!outcome.ran) return { imported: 0, removed: 0 };
  const { stored, imported } = outcome.result;
  const cutoff = now.getTime() - UNLINKED_PHOTO_GRACE_DAYS * DAY_MS;
  const hashOf = (name: string) => name.split('.')[0]!;
  let removed = 0;
  for (const name of names) {
    const hash = hashOf(name);
    const isOurs = name.endsWith('.tmp') || CONTENT_HASH_PATTERN.test(hash);
    if (!isOurs) continue;
    const file = path.join(mediaDir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) continue;
    // Removed after the commit above: a file goes only once its bytes are safely in the database.
    const inDatabase = !name.endsWith('.tmp') && stored.get(hash) === true;
    const stray = !stored.has(hash) || name.endsWith('.tmp');
    if (inDatabase || (stray && stat.mtimeMs < cutoff)) {
      await fs.rm(file, { force: true });
      removed++;
    } else if ((stat.mode & 0o077) !== 0) {
      // Earlier versions wrote photos with the process umask (often 0644): until it goes, a photo
      // that stays is readable by this account only, like the keys beside it.
      await fs.chmod(file, 0o600).catch(() => undefined);
    }
  }
  await fs.chmod(mediaDir, 0o700).catch(() => undefined);
  return { imported, removed };
}

/**
 * Inside the caller's transaction: deletes those of `hashes` that no interview links to any more,
 * with no grace period (a survey's deletion date, its interviews gone in the same transaction).
 * A photo linked meanwhile by another interview fails the statement on the foreign key, and with it
 * the caller's transaction, which the next run repeats. Returns the hashes deleted.
 */
export async function deleteUnlinkedPhotosAmong(trx: Kysely<Database>, hashes: readonly string[]): Promise<string[]> {
  return deleteUnlinkedMedia(trx, new Date('9999-12-31T00:00:00Z'), hashes);
}
