import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { ApiError } from '../http/errors.ts';

/** Above this many pixels an image is refused before decoding: a small file can decode to gigabytes. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** The stored image's longest edge: a pin board stays legible, a 48 MP camera file does not fill the disk. */
export const MAX_STORED_EDGE = 4096;
export const THUMBNAIL_EDGE = 320;

// Camera and screenshot formats. SVG and PDF are refused on purpose: they are documents that can
// reference other files, not photos.
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

export interface ProcessedImage {
  /** SHA-256 (hex) of the re-encoded image. */
  contentHash: string;
  image: Buffer;
  thumbnail: Buffer;
  width: number;
  height: number;
  mimeType: 'image/webp';
}

/**
 * Re-encodes an uploaded image to WebP: orientation applied, every piece of metadata (EXIF with GPS,
 * ICC, XMP, IPTC) dropped — sharp writes none unless asked to — size capped, plus a thumbnail.
 * Throws 422 `not_an_image` for anything sharp cannot decode as a photo format, and 422
 * `image_too_large` above MAX_INPUT_PIXELS.
 */
export async function reencodeImage(input: Buffer): Promise<ProcessedImage> {
  let metadata;
  try {
    // Reads the header only, so a decompression bomb is measured without being decoded.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new ApiError(422, 'not_an_image');
  }
  if (!ACCEPTED_FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
    throw new ApiError(422, 'not_an_image');
  }
  const pixels = metadata.width * metadata.height;
  if (pixels > MAX_INPUT_PIXELS) {
    throw new ApiError(422, 'image_too_large', {
      megapixels: Math.round(pixels / 1_000_000),
      limit: MAX_INPUT_PIXELS / 1_000_000,
    });
  }

  try {
    // 'error' rather than the stricter default 'warning': a camera file with a harmless warning
    // (an odd marker) is still a photo an interviewer took and must not be lost.
    const decoded = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    const { data: image, info } = await decoded
      .clone()
      .resize({ width: MAX_STORED_EDGE, height: MAX_STORED_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumbnail = await decoded
      .clone()
      .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 70 })
      .toBuffer();
    const contentHash = createHash('sha256').update(image).digest('hex');
    return { contentHash, image, thumbnail, width: info.width, height: info.height, mimeType: 'image/webp' };
  } catch (error) {
    // libvips refuses broken or truncated pixel data here, after the header looked fine.
    if (error instanceof ApiError) throw error;
    throw new ApiError(422, 'not_an_image');
  }
}
