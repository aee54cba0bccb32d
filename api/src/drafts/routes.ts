import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { limitBody } from '../http/body-limits.ts';
import { ApiError } from '../http/errors.ts';
import { answersObject, readLocalisedJsonBody } from '../http/localised-body.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { RESPONSE_BODY_LIMIT_BYTES } from '../responses/routes.ts';
import { createDraft, discardDraft, readDraft, saveDraft, type DraftDeps } from './service.ts';

/** The header that carries a resume code: headers stay out of proxies' access logs, paths do not. */
export const RESUME_CODE_HEADER = 'x-resume-code';

const draftSchema = z.object({
  version: z.number().int().min(1).max(2_147_483_647),
  locale: z.enum(SUPPORTED_LOCALES),
  answers: answersObject,
  /** The id the response will be submitted under (made on the first device, kept by the others). */
  responseId: z.string().uuid().optional(),
  /** The page (0-based) the person is on, so another device continues there. */
  page: z.number().int().min(0).max(10_000).optional(),
});

const codeOf = (c: Context<AppEnv>): string => c.req.header(RESUME_CODE_HEADER) ?? '';

/**
 * "Resume later": `POST /surveys/:slug/drafts` makes a resume code; `GET|PUT|DELETE /drafts/current`
 * use it, sent in the X-Resume-Code header. Mounted under /api. A draft is the same data as a
 * response, so the same size limit holds.
 *
 * The earlier `/drafts/:code` put the code into every proxy's access log beside the address; it
 * answers 410 `resume_code_in_url` now (see docs/api.md), and does nothing with the code.
 */
export function createDraftRoutes(deps: DraftDeps) {
  const gone = () => {
    throw new ApiError(410, 'resume_code_in_url');
  };
  return new Hono<AppEnv>()
    .post('/surveys/:slug/drafts', limitBody(RESPONSE_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, draftSchema);
      const draft = await createDraft(deps, c.req.param('slug'), body);
      return c.json({ code: draft.code, expiresAt: draft.expiresAt.toISOString() }, 201);
    })
    .get('/drafts/current', async (c) => {
      const draft = await readDraft(deps, codeOf(c));
      c.header('Cache-Control', 'no-store');
      return c.json({
        slug: draft.slug,
        version: draft.version,
        locale: draft.locale,
        answers: draft.answers,
        responseId: draft.responseId,
        page: draft.page,
        expiresAt: new Date(draft.expiresAt).toISOString(),
      });
    })
    .put('/drafts/current', limitBody(RESPONSE_BODY_LIMIT_BYTES), async (c) => {
      const body = await readLocalisedJsonBody(c, draftSchema);
      const saved = await saveDraft(deps, codeOf(c), body);
      return c.json({ expiresAt: saved.expiresAt.toISOString() });
    })
    .delete('/drafts/current', async (c) => {
      await discardDraft(deps, codeOf(c));
      return c.body(null, 204);
    })
    .get('/drafts/:code', gone)
    .put('/drafts/:code', gone)
    .delete('/drafts/:code', gone);
}
