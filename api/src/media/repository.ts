import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MediaVariant } from './media-files.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface MediaRow {
  contentHash: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * Stores a photo with its bytes; true when this call added the row (identical uploads share one).
 * Uploading an image again restarts its clock (`created_at`), so an unlinked photo that a tablet
 * sends anew is not purged (see purgeUnlinkedPhotos) in the seconds before its conversation
 * arrives, and fills in bytes a row from before the move into the database may lack.
 */
export async function insertMediaOnce(db: Db, media: MediaRow & { image: Buffer; thumbnail: Buffer }): Promise<boolean> {
  const row = await db
    .insertInto('media')
    .values({
      content_hash: media.contentHash,
      mime_type: media.mimeType,
      width: media.width,
      height: media.height,
      bytes: media.bytes,
      image: media.image,
      thumbnail: media.thumbnail,
    })
    .onConflict((oc) =>
      oc.column('content_hash').doUpdateSet({
        created_at: sql<Date>`now()`,
        image: sql<Buffer>`coalesce(media.image, excluded.image)`,
        thumbnail: sql<Buffer>`coalesce(media.thumbnail, excluded.thumbnail)`,
      }),
    )
    // xmax is 0 only on a row version this statement inserted (PostgreSQL's documented idiom).
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirstOrThrow();
  return row.inserted;
}

/**
 * Deletes the photos (row and bytes) that no interview or event report links to and that were last uploaded
 * before `uploadedBefore`; returns their hashes. A photo linked in the meantime makes the statement
 * fail on the foreign key, which leaves everything as it was for the next run.
 */
export async function deleteUnlinkedMedia(db: Db, uploadedBefore: Date, among?: readonly string[]): Promise<string[]> {
  if (among && among.length === 0) return [];
  let query = db.deleteFrom('media').where('created_at', '<', uploadedBefore);
  // Only these photos (a survey's own deletion date: other surveys' photos keep their grace period).
  if (among) query = query.where('content_hash', 'in', among);
  const rows = await query
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('interview_photo').select('interview_photo.position').whereRef('interview_photo.content_hash', '=', 'media.content_hash'))),
    )
    // Photos in an event's closing report (events feature) are linked too.
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('event_report_photo').select('event_report_photo.position').whereRef('event_report_photo.content_hash', '=', 'media.content_hash'))),
    )
    .returning('content_hash')
    .execute();
  return rows.map((row) => row.content_hash);
}

/** One variant's bytes and type, or undefined when there is no such photo (or its bytes never arrived). */
export async function findMediaBytes(db: Db, contentHash: string, variant: MediaVariant): Promise<{ data: Uint8Array; mimeType: string } | undefined> {
  const row = await db
    .selectFrom('media')
    .select(['mime_type', variant === 'image' ? 'image as data' : 'thumbnail as data'])
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
  if (!row?.data) return undefined;
  return { data: row.data, mimeType: row.mime_type };
}

/** Every stored photo's hash, and whether its bytes are in the database yet. */
export async function mediaHashesWithBytes(db: Db): Promise<Map<string, boolean>> {
  const rows = await db
    .selectFrom('media')
    .select(['content_hash', sql<boolean>`image is not null and thumbnail is not null`.as('has_bytes')])
    .execute();
  return new Map(rows.map((row) => [row.content_hash, row.has_bytes]));
}

/** Fills in the bytes of a row from before the move into the database. */
export async function fillMediaBytes(db: Db, contentHash: string, image: Buffer, thumbnail: Buffer): Promise<void> {
  await db.updateTable('media').set({ image, thumbnail }).where('content_hash', '=', contentHash).where('image', 'is', null).execute();
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

/** Notes that this uploader sent this photo (once; sending it again changes nothing). */
export async function recordUploader(db: Db, contentHash: string, uploaderRef: string): Promise<void> {
  await db.insertInto('media_uploader').values({ content_hash: contentHash, uploader_ref: uploaderRef }).onConflict((oc) => oc.doNothing()).execute();
}

/**
 * Of these hashes, the photos an interviewer may reach: uploaded by them, or linked to one of
 * their own interviews. Another interviewer's photo is as absent as one that does not exist.
 */
export async function hashesReachableBy(db: Db, interviewerRef: string, contentHashes: readonly string[]): Promise<Set<string>> {
  if (contentHashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('media')
    .select('media.content_hash')
    .where('media.content_hash', 'in', [...contentHashes])
    .where(({ or, exists, selectFrom }) =>
      or([
        exists(
          selectFrom('media_uploader')
            .select('media_uploader.uploader_ref')
            .whereRef('media_uploader.content_hash', '=', 'media.content_hash')
            .where('media_uploader.uploader_ref', '=', interviewerRef),
        ),
        exists(
          selectFrom('interview_photo')
            .innerJoin('response', 'response.id', 'interview_photo.response_id')
            .select('interview_photo.position')
            .whereRef('interview_photo.content_hash', '=', 'media.content_hash')
            .where('response.interviewer_ref', '=', interviewerRef),
        ),
      ]),
    )
    .execute();
  return new Set(rows.map((row) => row.content_hash));
}
