import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface MediaRow {
  contentHash: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
}

/** True when this call added the row; identical uploads share one. */
export async function insertMediaOnce(db: Db, media: MediaRow): Promise<boolean> {
  const inserted = await db
    .insertInto('media')
    .values({
      content_hash: media.contentHash,
      mime_type: media.mimeType,
      width: media.width,
      height: media.height,
      bytes: media.bytes,
    })
    .onConflict((oc) => oc.column('content_hash').doNothing())
    .returning('content_hash')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findMedia(db: Db, contentHash: string): Promise<MediaRow | undefined> {
  return db
    .selectFrom('media')
    .select(['content_hash as contentHash', 'mime_type as mimeType', 'width', 'height', 'bytes'])
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
}

/** Which of these hashes have a stored image. */
export async function existingMediaHashes(db: Db, contentHashes: readonly string[]): Promise<Set<string>> {
  if (contentHashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('media')
    .select('content_hash')
    .where('content_hash', 'in', [...contentHashes])
    .execute();
  return new Set(rows.map((row) => row.content_hash));
}
