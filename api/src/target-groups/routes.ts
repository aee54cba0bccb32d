import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { recordAudit } from '../audit/index.ts';
import { messageFor } from '../i18n/messages.ts';
import * as service from './service.ts';
import { ruleIssueParams } from './rule-expression.ts';

const checkSchema = z.object({
  expression: z.string().max(2000),
  surveyKind: z.enum(['resident', 'interview', 'stakeholder']).nullable().default(null),
});

export interface TargetGroupRoutesDeps {
  db: Kysely<Database>;
}

function actorOf(c: { get(key: 'user'): { id: string } | undefined }) {
  const user = c.get('user');
  if (!user) throw new ApiError(401, 'unauthenticated');
  return { id: user.id };
}

/**
 * Target-group rules: analysts read them (they label every export), admins create, change and delete
 * them. Every change re-tags all stored responses before it answers.
 */
export function createTargetGroupRoutes({ db }: TargetGroupRoutesDeps) {
  return new Hono<AppEnv>()
    .get('/', requireRole('analyst', 'admin'), async (c) => {
      return c.json({ targetGroups: await service.listTargetGroups(db) });
    })
    .post('/', requireRole('admin'), async (c) => {
      const body = await readJsonBody(c, z.unknown());
      const result = await service.createTargetGroup(db, body, actorOf(c));
      return c.json(result, 201);
    })
    .patch('/:code', requireRole('admin'), async (c) => {
      const body = await readJsonBody(c, z.unknown());
      return c.json(await service.updateTargetGroup(db, c.req.param('code'), body, actorOf(c)));
    })
    .delete('/:code', requireRole('admin'), async (c) => {
      return c.json(await service.deleteTargetGroup(db, c.req.param('code'), actorOf(c)));
    })
    .post('/check', requireRole('admin'), async (c) => {
      const { expression, surveyKind } = await readJsonBody(c, checkSchema);
      const result = await service.checkRule(db, expression, surveyKind);
      if (result.valid) return c.json(result);
      const message = messageFor(c.get('locale') ?? 'de')('errors.invalid_target_group_expression', ruleIssueParams(expression, result));
      return c.json({ ...result, message });
    })
    .post('/recompute', requireRole('admin'), async (c) => {
      const recompute = await service.recomputeTargetGroups(db);
      await recordAudit(db, { actorId: actorOf(c).id, action: 'target_group.recompute', details: { ...recompute } });
      return c.json({ recompute });
    });
}
