import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { limitBody } from '../http/body-limits.ts';
import { answersObject, readLocalisedJsonBody } from '../http/localised-body.ts';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { storeResponse, type ResponseDeps } from './service.ts';

/**
 * The largest response body accepted. A complete baseline response is a few kilobytes; 256 KiB
 * leaves room for long free-text answers and stops anyone filling the database (or the validator)
 * with megabytes per request.
 */
export const RESPONSE_BODY_LIMIT_BYTES = 256 * 1024;

const submissionSchema = z.object({
  id: z.string().uuid(),
  version: z.number().int().min(1).max(2_147_483_647),
  locale: z.enum(SUPPORTED_LOCALES),
  district: z.string().max(200).nullish(),
  channel: z.string().max(200).nullish(),
  answers: answersObject,
});

/** `POST /api/surveys/:slug/responses`: residents' online submissions. Mounted under /api/surveys. */
export function createResponseRoutes(deps: ResponseDeps) {
  return new Hono<AppEnv>().post('/:slug/responses', limitBody(RESPONSE_BODY_LIMIT_BYTES), async (c) => {
    const body = await readLocalisedJsonBody(c, submissionSchema);
    const id = body.id.toLowerCase();
    const outcome = await storeResponse(deps, {
      id,
      slug: c.req.param('slug'),
      version: body.version,
      mode: 'online',
      locale: body.locale,
      district: body.district ?? null,
      channel: body.channel ?? null,
      answers: body.answers,
      // Header name as in drafts/routes.ts (not imported: that module imports this one).
      resumeCode: c.req.header('x-resume-code') ?? null,
    });
    return c.json({ id, status: 'stored' as const }, outcome.status === 'stored' ? 201 : 200);
  });
}
