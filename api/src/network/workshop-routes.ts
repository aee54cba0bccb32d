import { Hono } from 'hono';
import { z } from 'zod';
import { requireRole } from '../auth/index.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { parseFields } from '../http/field-errors.ts';
import { limitBody } from '../http/body-limits.ts';
import { readJsonBody } from '../http/read-json.ts';
import { ACTOR_KINDS, FIELDS_OF_ACTION, TIE_FREQUENCIES, TIE_KINDS } from './codes.ts';
import { listActors } from './repository.ts';
import { codeLabelsFor } from './map-texts.ts';
import type { NetworkRoutesDeps } from './routes.ts';
import { WORKSHOP_SYNC_BODY_LIMIT_BYTES, workshopSyncSchema } from './workshop-schema.ts';
import { getWorkshop, listWorkshops, syncWorkshop } from './workshop-service.ts';

/**
 * The workshop mode (`/workshop` on a tablet or projector): the facilitator's download of the
 * registry, the one sync of a workshop, and the workshops read back. Facilitators are
 * coordinators (they run the town's events) and admins; analysts too, who read the waves back.
 */
export function createWorkshopRoutes({ db, surveysDir }: NetworkRoutesDeps) {
  const codeLabels = codeLabelsFor(surveysDir);
  return new Hono<AppEnv>()
    .use('*', requireRole('coordinator', 'analyst', 'admin'))
    // What the tablet keeps for offline use: the registry's current actors (no districts, no flags) and the code lists.
    .get('/registry', async (c) => {
      const actors = await listActors(db);
      c.header('Cache-Control', 'no-store');
      return c.json({
        actors: actors.map((actor) => ({ id: actor.id, name: actor.name, kind: actor.kind, fieldsOfAction: actor.fieldsOfAction })),
        kinds: ACTOR_KINDS,
        fieldsOfAction: FIELDS_OF_ACTION,
        tieKinds: TIE_KINDS,
        frequencies: TIE_FREQUENCIES,
        // Both staff languages at once: the tablet may switch language while offline.
        labels: { de: codeLabels('de', { kinds: ACTOR_KINDS, fieldsOfAction: FIELDS_OF_ACTION }), en: codeLabels('en', { kinds: ACTOR_KINDS, fieldsOfAction: FIELDS_OF_ACTION }) },
      });
    })
    .post('/sync', limitBody(WORKSHOP_SYNC_BODY_LIMIT_BYTES), async (c) => {
      const input = parseFields(c, workshopSyncSchema, await readJsonBody(c, z.unknown()));
      const result = await syncWorkshop(db, c.get('user')!.id, input);
      return c.json(result, result.status === 'stored' ? 201 : 200);
    })
    .get('/', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ workshops: await listWorkshops(db) });
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const workshop = z.string().uuid().safeParse(id).success ? await getWorkshop(db, id.toLowerCase()) : null;
      if (!workshop) throw new ApiError(404, 'workshop_not_found');
      c.header('Cache-Control', 'no-store');
      return c.json({ workshop });
    });
}
