import { Hono } from 'hono';
import { z } from 'zod';
import { changeAccountRole, inviteAccount, requireRole, resetAccountPassword, ROLES, setAccountDisabled, signOutEverywhere, type Role } from '../auth/index.ts';
import { parseFields } from '../http/field-errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { readJsonBody } from '../http/read-json.ts';
import { changeSurveyStatus, listStaffAccounts, listSurveysForAdmin, scheduleSurvey, setSurveyAnswersDeletionDate, type AdminDeps } from './service.ts';
import { isoDate, readTownSettings, requireTownSetUp } from '../town/index.ts';
import { fieldError, invalidFields } from '../http/field-errors.ts';

const statusSchema = z.object({ status: z.enum(['open', 'closed']) });
const moment = z.string().datetime({ offset: true, message: 'field_invalid_date' }).nullable();
const scheduleSchema = z.object({ opensAt: moment.default(null), closesAt: moment.default(null) }).strict();
const deletionDateSchema = z.object({ answersDeletedBy: isoDate.nullable() }).strict();
const roleSchema = z.enum(ROLES as [Role, ...Role[]], { errorMap: () => ({ message: 'field_invalid' }) });
const newUserSchema = z
  .object({
    email: z.string().trim().max(320, 'field_too_long').email('field_invalid_email'),
    role: roleSchema,
    displayName: z.string().trim().max(200, 'field_too_long').nullish(),
  })
  .strict();

/** Administration: staff accounts and survey status. Every route is admin-only. */
export function createAdminRoutes(deps: AdminDeps) {
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/users', async (c) => c.json({ users: await listStaffAccounts(deps) }))
    .post('/users', async (c) => {
      const input = parseFields(c, newUserSchema, await readJsonBody(c, z.unknown()));
      // The link is in this answer only: the admin hands it over; no password travels by email.
      return c.json(await inviteAccount(deps.db, c.get('user')!.id, input), 201);
    })
    .post('/users/:id/disabled', async (c) => {
      const { disabled } = await readJsonBody(c, z.object({ disabled: z.boolean() }));
      await setAccountDisabled(deps.db, c.get('user')!.id, c.req.param('id'), disabled);
      return c.json({ id: c.req.param('id'), disabled });
    })
    .post('/users/:id/role', async (c) => {
      const { role } = parseFields(c, z.object({ role: roleSchema }), await readJsonBody(c, z.unknown()));
      await changeAccountRole(deps.db, c.get('user')!.id, c.req.param('id'), role);
      return c.json({ id: c.req.param('id'), role });
    })
    .post('/users/:id/password-reset', async (c) => c.json(await resetAccountPassword(deps.db, c.get('user')!.id, c.req.param('id'))))
    .post('/users/:id/sign-out', async (c) => c.json({ sessionsEnded: await signOutEverywhere(deps.db, c.get('user')!.id, c.req.param('id')) }))
    .get('/surveys', async (c) => c.json({ surveys: await listSurveysForAdmin(deps) }))
    .post('/surveys/:slug/schedule', async (c) => {
      const body = parseFields(c, scheduleSchema, await readJsonBody(c, z.unknown()));
      const opensAt = body.opensAt ? new Date(body.opensAt) : null;
      const closesAt = body.closesAt ? new Date(body.closesAt) : null;
      if (opensAt && closesAt && closesAt <= opensAt) throw invalidFields([fieldError(c, 'closesAt', 'field_invalid')]);
      await scheduleSurvey(deps, c.get('user')!.id, c.req.param('slug'), { opensAt, closesAt });
      return c.json({ slug: c.req.param('slug'), status: 'open', opensAt: opensAt?.toISOString() ?? null, closesAt: closesAt?.toISOString() ?? null });
    })
    .put('/surveys/:slug/deletion-date', async (c) => {
      const { answersDeletedBy } = parseFields(c, deletionDateSchema, await readJsonBody(c, z.unknown()));
      await requireTownSetUp(deps.db);
      if (answersDeletedBy !== null) {
        // After today (on that day the job deletes at once), and not after the town's date, so the
        // welcome page's "at the latest on" (the earlier of the two) stays true.
        const today = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);
        if (answersDeletedBy <= today) throw invalidFields([fieldError(c, 'answersDeletedBy', 'field_date_not_future')]);
        const town = (await readTownSettings(deps.db))!;
        if (answersDeletedBy > town.answersDeletedBy) throw invalidFields([fieldError(c, 'answersDeletedBy', 'field_date_after_town', { date: town.answersDeletedBy })]);
      }
      await setSurveyAnswersDeletionDate(deps, c.get('user')!.id, c.req.param('slug'), answersDeletedBy);
      return c.json({ slug: c.req.param('slug'), answersDeletedBy });
    })
    .post('/surveys/:slug/status', async (c) => {
      const { status } = await readJsonBody(c, statusSchema);
      const result = await changeSurveyStatus(deps, c.get('user')!.id, c.req.param('slug'), status);
      return c.json(result);
    });
}
