import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';

/** Refused before decoding above this: a small file can decode to gigabytes. */
export const LOGO_MAX_INPUT_PIXELS = 25_000_000;
/** The served logo fits in this box: the page header shows it at about 3 rem high. */
export const LOGO_MAX_WIDTH = 800;
export const LOGO_MAX_HEIGHT = 400;
/** The served logo's size after re-encoding, which every respondent's phone loads. */
export const LOGO_MAX_BYTES = 200 * 1024;

// Raster formats only: SVG can reference other files and carry scripts.
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif']);

export interface ProcessedLogo {
  image: Buffer;
  mimeType: 'image/png';
  contentHash: string;
  width: number;
  height: number;
}

/**
 * Re-encodes an uploaded logo as PNG (lossless, keeps transparency, every browser shows it), scaled
 * to fit LOGO_MAX_WIDTH × LOGO_MAX_HEIGHT and stripped of all metadata. Refuses what is not a
 * raster image (422 `not_an_image`), too many pixels (422 `image_too_large`) and a result above
 * LOGO_MAX_BYTES (422 `logo_too_large`).
 */
export async function processLogo(input: Buffer): Promise<ProcessedLogo> {
  let metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ApiError(422, 'not_an_image');
  }
  if (!ACCEPTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) throw new ApiError(422, 'not_an_image');
  const pixels = metadata.width * metadata.height;
  if (pixels > LOGO_MAX_INPUT_PIXELS) {
    throw new ApiError(422, 'image_too_large', { megapixels: Math.round(pixels / 1e5) / 10, limit: LOGO_MAX_INPUT_PIXELS / 1e6 });
  }
  let result;
  try {
    result = await sharp(input, { limitInputPixels: LOGO_MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: LOGO_MAX_WIDTH, height: LOGO_MAX_HEIGHT, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9, palette: true, quality: 90 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new ApiError(422, 'not_an_image');
  }
  if (result.data.byteLength > LOGO_MAX_BYTES) {
    throw new ApiError(422, 'logo_too_large', { kilobytes: Math.ceil(result.data.byteLength / 1024), limit: LOGO_MAX_BYTES / 1024 });
  }
  return {
    image: result.data,
    mimeType: 'image/png',
    contentHash: createHash('sha256').update(result.data).digest('hex'),
    width: result.info.width,
    height: result.info.height,
  };
}

export async function saveLogo(db: Kysely<Database>, logo: ProcessedLogo): Promise<void> {
  const values = { image: logo.image, mime_type: logo.mimeType, content_hash: logo.contentHash, width: logo.width, height: logo.height, updated_at: new Date() };
  await db.insertInto('town_logo').values({ id: 1, ...values }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
}

export async function deleteLogo(db: Kysely<Database>): Promise<boolean> {
  const result = await db.deleteFrom('town_logo').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function readLogo(db: Kysely<Database>) {
  return db.selectFrom('town_logo').select(['image', 'mime_type as mimeType', 'content_hash as contentHash']).executeTakeFirst();
}

/** The logo's public address with its hash, so a new logo is a new URL and the old one may be cached long. */
export async function logoUrl(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('town_logo').select('content_hash').executeTakeFirst();
  return row ? `/api/town/logo?v=${row.content_hash.slice(0, 16)}` : null;
}
