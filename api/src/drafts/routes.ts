import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { limitBody } from '../http/body-limits.ts';
import { answersObject, readLocalisedJsonBody } from '../http/localised-body.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { RESPONSE_BODY_LIMIT_BYTES } from '../responses/routes.ts';
import { createDraft, discardDraft, readDraft, saveDraft, type DraftDeps } from './service.ts';

const draftSchema = z.object({
  version: z.number().int().min(1).max(2_147_483_647),
  locale: z.enum(SUPPORTED_LOCALES),
  answers: answersObject,
  /** The id the response will be submitted under (made on the first device, kept by the others). */
  responseId: z.string().uuid().optional(),
});

/**
 * "Resume later": `POST /surveys/:slug/drafts` makes a resume code, `GET|PUT|DELETE /drafts/:code`
 * use it. Mounted under /api. A draft is the same data as a response, so the same size limit holds.
 */
export function createDraftRoutes(deps: DraftDeps) {
  return new Hono<AppEnv>()
    .post('/surveys/:slug/drafts', limitBody(RESPONSE_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, draftSchema);
      const draft = await createDraft(deps, c.req.param('slug'), body);
      return c.json({ code: draft.code, expiresAt: draft.expiresAt.toISOString() }, 201);
    })
    .get('/drafts/:code', async (c) => {
      const draft = await readDraft(deps, c.req.param('code'));
      c.header('Cache-Control', 'no-store');
      return c.json({
        slug: draft.slug,
        version: draft.version,
        locale: draft.locale,
        answers: draft.answers,
        responseId: draft.responseId,
        expiresAt: new Date(draft.expiresAt).toISOString(),
      });
    })
    .put('/drafts/:code', limitBody(RESPONSE_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, draftSchema);
      const saved = await saveDraft(deps, c.req.param('code'), body);
      return c.json({ expiresAt: saved.expiresAt.toISOString() });
    })
    .delete('/drafts/:code', async (c) => {
      await discardDraft(deps, c.req.param('code'));
      return c.body(null, 204);
    });
}
