import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { limitBody } from '../http/body-limits.ts';
import { readJsonBody } from '../http/read-json.ts';
import { interviewerRef } from './interviewer-ref.ts';
import { countInterviews } from './repository.ts';
import { syncInterviews, todayInTown } from './service.ts';
import { SYNC_BODY_LIMIT_BYTES, SYNC_MAX_ITEMS, syncBatchSchema } from './sync-schema.ts';

export interface InterviewRoutesDeps {
  db: Kysely<Database>;
  interviewerRefKey: Buffer;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD');
const overviewQuerySchema = z.object({
  slug: z.string().max(200).optional(),
  from: day.optional(),
  to: day.optional(),
});

/** Interviewers' sync from the tablets, and the field overview for admins and analysts. */
export function createInterviewRoutes(deps: InterviewRoutesDeps) {
  return new Hono<AppEnv>()
    .post('/sync', requireRole('interviewer', 'admin'), limitBody(SYNC_BODY_LIMIT_BYTES), async (c) => {
      const { interviews } = await readJsonBody(c, syncBatchSchema);
      if (interviews.length > SYNC_MAX_ITEMS) throw new ApiError(413, 'sync_batch_too_large', { max: SYNC_MAX_ITEMS });
      const user = c.get('user')!;
      const results = await syncInterviews(deps, interviews, {
        interviewerRef: interviewerRef(deps.interviewerRefKey, user.id),
        locale: c.get('locale'),
        today: todayInTown(),
      });
      return c.json({ results });
    })
    .get('/overview', requireRole('admin', 'analyst'), async (c) => {
      const parsed = overviewQuerySchema.safeParse(c.req.query());
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ApiError(400, 'invalid_request', { details: `${issue?.path.join('.')}: ${issue?.message}` });
      }
      const rows = await countInterviews(deps.db, parsed.data);
      return c.json({ rows, total: rows.reduce((sum, row) => sum + row.interviews, 0) });
    });
}
