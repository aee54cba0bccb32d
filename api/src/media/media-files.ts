import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

export type MediaVariant = 'image' | 'thumbnail';

/** Where the photos live: `DATA_DIR/media`. */
export const mediaDirOf = (dataDir: string) => path.join(dataDir, 'media');

/** `DATA_DIR/media/<hash>.webp` and `<hash>.thumb.webp`; the hash is checked, so no path can escape. */
export function mediaPath(mediaDir: string, contentHash: string, variant: MediaVariant): string {
  if (!CONTENT_HASH_PATTERN.test(contentHash)) throw new Error('not a content hash');
  return path.join(mediaDir, variant === 'image' ? `${contentHash}.webp` : `${contentHash}.thumb.webp`);
}

/**
 * Writes a file so that readers see it whole or not at all: into a temporary name, then renamed.
 * An existing file with the same content-addressed name is left as it is.
 */
export async function writeMediaFile(file: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.access(file);
    return;
  } catch {
    // Not there yet: write it.
  }
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, data, { flag: 'wx' });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
