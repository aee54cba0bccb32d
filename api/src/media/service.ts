import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { reencodeImage } from './image-processing.ts';
import type { MediaVariant } from './media-files.ts';
import { purgeUnlinkedPhotos } from './purge.ts';
import { findMediaBytes, hashesReachableBy, insertMediaOnce, recordUploader } from './repository.ts';

export interface MediaDeps {
  db: Kysely<Database>;
  /** DATA_DIR; only read for photos an earlier version kept in its `media/` folder. */
  dataDir: string;
}

export interface StoredImage {
  contentHash: string;
  width: number;
  height: number;
}

/** Whose photos a reader reaches: everyone's (admins, analysts) or one interviewer's. */
export type PhotoReader = { kind: 'all' } | { kind: 'interviewer'; interviewerRef: string };

/**
 * Re-encodes an upload and stores image and thumbnail under their content hash, in the database
 * (one row, one statement): every app process serves every photo, and a backup of the database is
 * a backup of the photos. There are no files that could be missing or left over.
 */
export async function storeImage(deps: MediaDeps, upload: Buffer, uploaderRef?: string): Promise<StoredImage> {
  const processed = await reencodeImage(upload);
  // Photos nobody linked within the grace period go now; a server runs for months without restart.
  await purgeUnlinkedPhotos(deps);
  await insertMediaOnce(deps.db, {
    contentHash: processed.contentHash,
    mimeType: processed.mimeType,
    width: processed.width,
    height: processed.height,
    bytes: processed.image.length,
    image: processed.image,
    thumbnail: processed.thumbnail,
  });
  if (uploaderRef) await recordUploader(deps.db, processed.contentHash, uploaderRef);
  // Nothing says whether the image was there before: that would tell the uploader that someone
  // else has photographed the same thing.
  return { contentHash: processed.contentHash, width: processed.width, height: processed.height };
}

/** The bytes of a stored image or its thumbnail, or undefined when there is no such image. */
export async function readImage(
  deps: MediaDeps,
  contentHash: string,
  variant: MediaVariant,
  reader: PhotoReader = { kind: 'all' },
): Promise<{ data: Buffer; mimeType: string } | undefined> {
  if (reader.kind === 'interviewer' && !(await hashesReachableBy(deps.db, reader.interviewerRef, [contentHash])).has(contentHash)) return undefined;
  const found = await findMediaBytes(deps.db, contentHash, variant);
  if (!found) return undefined;
  return { data: Buffer.from(found.data.buffer, found.data.byteOffset, found.data.byteLength), mimeType: found.mimeType };
}
