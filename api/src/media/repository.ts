import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface MediaRow {
  contentHash: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * True when this call added the row; identical uploads share one. Uploading an image again restarts
 * its clock (`created_at`), so an unlinked photo that a tablet sends anew is not purged (see
 * purgeUnlinkedPhotos) in the seconds before its conversation arrives.
 */
export async function insertMediaOnce(db: Db, media: MediaRow): Promise<boolean> {
  const row = await db
    .insertInto('media')
    .values({
      content_hash: media.contentHash,
      mime_type: media.mimeType,
      width: media.width,
      height: media.height,
      bytes: media.bytes,
    })
    .onConflict((oc) => oc.column('content_hash').doUpdateSet({ created_at: sql<Date>`now()` }))
    // xmax is 0 only on a row version this statement inserted (PostgreSQL's documented idiom).
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirstOrThrow();
  return row.inserted;
}

/**
 * Deletes the rows of photos that no interview links to and that were last uploaded before
 * `uploadedBefore`; returns their hashes. A photo linked in the meantime makes the statement fail
 * on the foreign key, which leaves everything as it was for the next run.
 */
export async function deleteUnlinkedMedia(db: Db, uploadedBefore: Date): Promise<string[]> {
  const rows = await db
    .deleteFrom('media')
    .where('created_at', '<', uploadedBefore)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('interview_photo').select('interview_photo.position').whereRef('interview_photo.content_hash', '=', 'media.content_hash'))),
    )
    .returning('content_hash')
    .execute();
  return rows.map((row) => row.content_hash);
}

export async function findMedia(db: Db, contentHash: string): Promise<MediaRow | undefined> {
  return db
    .selectFrom('media')
    .select(['content_hash as contentHash', 'mime_type as mimeType', 'width', 'height', 'bytes'])
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
}

/** The hashes of every stored image. */
export async function allMediaHashes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('media').select('content_hash').execute();
  return new Set(rows.map((row) => row.content_hash));
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
