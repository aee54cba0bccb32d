import fs from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_HASH_PATTERN, mediaDirOf, mediaPath } from './media-files.ts';
import { allMediaHashes, deleteUnlinkedMedia } from './repository.ts';
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
 * Deletes photos (row, image and thumbnail) that no interview links to and that were last uploaded
 * more than the grace period ago; returns how many. The files go while the row deletion is still
 * uncommitted: an upload of the same image meanwhile waits for the row and then writes its files
 * again (storeImage), so no row ever ends up without its files.
 */
export async function purgeUnlinkedPhotos(deps: MediaDeps, now = new Date()): Promise<number> {
  const uploadedBefore = new Date(now.getTime() - UNLINKED_PHOTO_GRACE_DAYS * DAY_MS);
  const mediaDir = mediaDirOf(deps.dataDir);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const hashes = await deleteUnlinkedMedia(trx, uploadedBefore);
      for (const hash of hashes) await removeFilesOf(mediaDir, hash);
      return hashes.length;
    });
  } catch (error) {
    // A photo got linked while we looked (foreign key): nothing was deleted; the next run tries again.
    if ((error as { code?: unknown }).code === '23503') return 0;
    throw error;
  }
}

/**
 * At start-up, before any upload can run: files in the media folder that have no row and are older
 * than the grace period (left by a crash between writing the files and the row, or by the purge's
 * rolled-back transaction) and temporary files of interrupted writes. Returns how many files.
 */
export async function sweepStrayMediaFiles(deps: MediaDeps, now = new Date()): Promise<number> {
  const mediaDir = mediaDirOf(deps.dataDir);
  let names: string[];
  try {
    names = await fs.readdir(mediaDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const cutoff = now.getTime() - UNLINKED_PHOTO_GRACE_DAYS * DAY_MS;
  // A town has thousands of photos, not millions: one query for all their hashes is fine at start-up.
  const stored = await allMediaHashes(deps.db);
  const hashOf = (name: string) => name.split('.')[0]!;
  const isStray = (name: string) =>
    name.endsWith('.tmp') || (CONTENT_HASH_PATTERN.test(hashOf(name)) && !stored.has(hashOf(name)));
  let removed = 0;
  for (const name of names.filter(isStray)) {
    const file = path.join(mediaDir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile() || stat.mtimeMs >= cutoff) continue;
    await fs.rm(file, { force: true });
    removed++;
  }
  return removed;
}

async function removeFilesOf(mediaDir: string, hash: string): Promise<void> {
  await fs.rm(mediaPath(mediaDir, hash, 'image'), { force: true });
  await fs.rm(mediaPath(mediaDir, hash, 'thumbnail'), { force: true });
}
