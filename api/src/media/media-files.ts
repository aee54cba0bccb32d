import path from 'node:path';

export const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

export type MediaVariant = 'image' | 'thumbnail';

/**
 * Where versions before the move into the database kept photos: `DATA_DIR/media`. Read only by the
 * start-up import (purge.ts), which moves what it finds into the `media` rows.
 */
export const legacyMediaDirOf = (dataDir: string) => path.join(dataDir, 'media');

/** `DATA_DIR/media/<hash>.webp` and `<hash>.thumb.webp`; the hash is checked, so no path can escape. */
export function legacyMediaPath(mediaDir: string, contentHash: string, variant: MediaVariant): string {
  if (!CONTENT_HASH_PATTERN.test(contentHash)) throw new Error('not a content hash');
  return path.join(mediaDir, variant === 'image' ? `${contentHash}.webp` : `${contentHash}.thumb.webp`);
}
