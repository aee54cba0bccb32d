import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { reencodeImage } from './image-processing.ts';
import { mediaDirOf, mediaPath, writeMediaFile, type MediaVariant } from './media-files.ts';
import { purgeUnlinkedPhotos } from './purge.ts';
import { findMedia, insertMediaOnce } from './repository.ts';

export interface MediaDeps {
  db: Kysely<Database>;
  /** DATA_DIR; images live in its `media/` folder. */
  dataDir: string;
}

export interface StoredImage {
  contentHash: string;
  width: number;
  height: number;
  /** False when the same image was stored before. */
  created: boolean;
}

/**
 * Re-encodes an upload and stores image and thumbnail under their content hash. Files first, row
 * second: a row never points at missing files, and a crash in between leaves only a file that the
 * next identical upload reuses. The files are written again after the row (a no-op when they are
 * there): the purge of unlinked photos may have removed them in between.
 */
export async function storeImage(deps: MediaDeps, upload: Buffer): Promise<StoredImage> {
  const processed = await reencodeImage(upload);
  // Photos nobody linked within the grace period go now; a server runs for months without restart.
  await purgeUnlinkedPhotos(deps);
  const mediaDir = mediaDirOf(deps.dataDir);
  const writeFiles = async () => {
    await writeMediaFile(mediaPath(mediaDir, processed.contentHash, 'image'), processed.image);
    await writeMediaFile(mediaPath(mediaDir, processed.contentHash, 'thumbnail'), processed.thumbnail);
  };
  await writeFiles();
  const created = await insertMediaOnce(deps.db, {
    contentHash: processed.contentHash,
    mimeType: processed.mimeType,
    width: processed.width,
    height: processed.height,
    bytes: processed.image.length,
  });
  await writeFiles();
  return { contentHash: processed.contentHash, width: processed.width, height: processed.height, created };
}

/** The bytes of a stored image or its thumbnail, or undefined when there is no such image. */
export async function readImage(
  deps: MediaDeps,
  contentHash: string,
  variant: MediaVariant,
): Promise<{ data: Buffer; mimeType: string } | undefined> {
  const row = await findMedia(deps.db, contentHash);
  if (!row) return undefined;
  try {
    const data = await fs.readFile(mediaPath(mediaDirOf(deps.dataDir), contentHash, variant));
    return { data, mimeType: row.mimeType };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
