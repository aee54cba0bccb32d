import { Hono } from 'hono';
import { z } from 'zod';
import { requireRole } from '../auth/index.ts';
import type { AppEnv } from '../http/app-env.ts';
import { readJsonBody } from '../http/read-json.ts';
import { changeSurveyStatus, listStaffAccounts, type AdminDeps } from './service.ts';

const statusSchema = z.object({ status: z.enum(['open', 'closed']) });

/** Administration: staff accounts and survey status. Every route is admin-only. */
export function createAdminRoutes(deps: AdminDeps) {
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/users', async (c) => c.json({ users: await listStaffAccounts(deps) }))
    .post('/surveys/:slug/status', async (c) => {
      const { status } = await readJsonBody(c, statusSchema);
      const result = await changeSurveyStatus(deps, c.get('user')!.id, c.req.param('slug'), status);
      return c.json(result);
    });
}
