import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { fieldError, fieldErrorsFrom, invalidFields } from '../http/field-errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { recordAudit } from '../audit/index.ts';
import { ApiError } from '../http/errors.ts';
import { deleteLogo, processLogo, readLogo, saveLogo } from './logo.ts';
import { readTownSettings } from './repository.ts';
import { deletionDatesNotInFuture, publicTown, saveTownSettings } from './service.ts';
import { townSettingsSchema } from './settings-schema.ts';
import { MAX_SUPPRESSION_K, MIN_SUPPRESSION_K } from '../settings/index.ts';

export interface TownRoutesDeps {
  db: Kysely<Database>;
  /** The clock deletion dates are compared with; tests pass a fixed one. */
  now?: () => Date;
}

const townBodySchema = townSettingsSchema.extend({
  suppressionK: z.number().int('field_invalid').min(MIN_SUPPRESSION_K, 'field_invalid').max(MAX_SUPPRESSION_K, 'field_invalid').optional(),
});

/** `GET /api/town`: public, what every page shows about the town. */
export function createTownRoutes({ db }: TownRoutesDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      // Short and shared: pages load it on every visit, and a change shows within a minute.
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(await publicTown(db));
    })
    .get('/logo', async (c) => {
      const logo = await readLogo(db);
      if (!logo) throw new ApiError(404, 'media_not_found');
      const etag = `"${logo.contentHash}"`;
      // GET /api/town names it with its hash (`?v=`): a new logo is a new address.
      const headers = { 'Cache-Control': 'public, max-age=86400', ETag: etag };
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
      return c.body(new Uint8Array(logo.image), 200, { ...headers, 'Content-Type': logo.mimeType });
    });
}

/** `PUT /api/admin/town` (and `GET` of the same, uncached): the admin's form. */
export function createTownAdminRoutes({ db, now = () => new Date() }: TownRoutesDeps) {
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => c.json(await publicTown(db)))
    .put('/logo', async (c) => {
      const bytes = Buffer.from(await c.req.arrayBuffer());
      if (bytes.byteLength === 0) throw new ApiError(422, 'not_an_image');
      const logo = await processLogo(bytes);
      await saveLogo(db, logo);
      await recordAudit(db, { actorId: c.get('user')!.id, action: 'town.logo_set', target: null, details: { width: logo.width, height: logo.height, bytes: logo.image.byteLength } });
      return c.json(await publicTown(db));
    })
    .delete('/logo', async (c) => {
      if (await deleteLogo(db)) await recordAudit(db, { actorId: c.get('user')!.id, action: 'town.logo_removed', target: null });
      return c.json(await publicTown(db));
    })
    .put('/', async (c) => {
      const body = await readJsonBody(c, z.unknown());
      const parsed = townBodySchema.safeParse(body);
      if (!parsed.success) throw invalidFields(fieldErrorsFrom(c, parsed.error));
      const { suppressionK, ...settings } = parsed.data;
      const today = now().toISOString().slice(0, 10);
      const past = deletionDatesNotInFuture(settings, await readTownSettings(db), today);
      if (past.length > 0) throw invalidFields(past.map((field) => fieldError(c, field, 'field_date_not_future')));
      await saveTownSettings(db, c.get('user')!.id, settings, suppressionK);
      return c.json(await publicTown(db));
    });
}
