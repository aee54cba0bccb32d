import { Hono, type Context } from 'hono';
import { requireRole } from '../auth/index.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { limitBody } from '../http/body-limits.ts';
import { CONTENT_HASH_PATTERN, type MediaVariant } from './media-files.ts';
import { interviewerRef } from '../interviews/interviewer-ref.ts';
import { readImage, storeImage, type MediaDeps, type PhotoReader } from './service.ts';

/** A tablet photo straight from the camera; the stored copy is far smaller. */
export const MEDIA_UPLOAD_LIMIT_BYTES = 15 * 1024 * 1024;

/** Photos taken in interviews: upload (re-encoded, metadata stripped) and read-back for staff. */
export function createMediaRoutes(deps: MediaDeps & { interviewerRefKey: Buffer }) {
  const refOf = (c: Context<AppEnv>) => interviewerRef(deps.interviewerRefKey, c.get('user')!.id);
  // Interviewers see their own material only; admins and analysts every photo (the field overview).
  const readerOf = (c: Context<AppEnv>): PhotoReader =>
    c.get('user')!.role === 'interviewer' ? { kind: 'interviewer', interviewerRef: refOf(c) } : { kind: 'all' };
  const serve = (variant: MediaVariant) => async (c: Context<AppEnv>) => {
    const hash = c.req.param('hash') ?? '';
    if (!CONTENT_HASH_PATTERN.test(hash)) throw new ApiError(404, 'media_not_found');
    const image = await readImage(deps, hash, variant, readerOf(c));
    if (!image) throw new ApiError(404, 'media_not_found');
    return c.body(new Uint8Array(image.data), 200, {
      'Content-Type': image.mimeType,
      // Content-addressed, so it never changes; private, because it is staff-only material.
      'Cache-Control': 'private, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  };

  return new Hono<AppEnv>()
    .post('/', requireRole('interviewer', 'admin'), limitBody(MEDIA_UPLOAD_LIMIT_BYTES), async (c) => {
      const contentType = c.req.header('content-type') ?? '';
      if (!/^image\//i.test(contentType)) throw new ApiError(415, 'not_an_image');
      const upload = Buffer.from(await c.req.arrayBuffer());
      if (upload.length === 0) throw new ApiError(422, 'not_an_image');
      const stored = await storeImage(deps, upload, refOf(c));
      // 201 whether or not the image was stored before: the same answer for both (no oracle).
      return c.json({ contentHash: stored.contentHash, width: stored.width, height: stored.height }, 201);
    })
    .get('/:hash', requireRole('admin', 'analyst', 'interviewer'), serve('image'))
    .get('/:hash/thumb', requireRole('admin', 'analyst', 'interviewer'), serve('thumbnail'));
}
