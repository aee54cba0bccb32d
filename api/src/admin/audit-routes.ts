import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { listAuditActions, listAuditEntries } from '../audit/index.ts';
import { listUsers, requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { parseFields } from '../http/field-errors.ts';
import type { AuditPage } from '../shared/admin.ts';

export const AUDIT_PAGE_SIZE = 50;

const instant = z.string().datetime({ offset: true, message: 'field_invalid_date' });
const querySchema = z
  .object({
    action: z.string().trim().max(100, 'field_too_long').regex(/^[a-z0-9_.-]*$/, 'field_invalid').optional(),
    actor: z.union([z.literal('system'), z.string().uuid('field_invalid')]).optional(),
    from: instant.optional(),
    to: instant.optional(),
    page: z.coerce.number({ message: 'field_invalid' }).int('field_invalid').min(1, 'field_invalid').max(100_000, 'field_invalid').default(1),
  })
  .strict();

/**
 * The audit log for admins: who did what when, newest first, filtered by action (an exact name or
 * a prefix such as `export.`), by account and by period, a page at a time.
 */
export function createAuditRoutes(deps: { db: Kysely<Database> }) {
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => {
      const query = parseFields(c, querySchema, c.req.query());
      const filter = {
        action: query.action || null,
        actor: query.actor ?? null,
        from: query.from ? new Date(query.from) : null,
        to: query.to ? new Date(query.to) : null,
      };
      const [{ entries, total }, actions, users] = await Promise.all([
        listAuditEntries(deps.db, filter, { offset: (query.page - 1) * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE }),
        listAuditActions(deps.db),
        listUsers(deps.db),
      ]);
      const emails = new Map(users.map((user) => [user.id, user.email]));
      const body: AuditPage = {
        entries: entries.map((entry) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          actorId: entry.actorId,
          actorEmail: entry.actorId ? (emails.get(entry.actorId) ?? null) : null,
          action: entry.action,
          target: entry.target,
          details: entry.details,
        })),
        total,
        page: query.page,
        pageSize: AUDIT_PAGE_SIZE,
        actions,
        actors: users.map((user) => ({ id: user.id, email: user.email })),
      };
      return c.json(body);
    });
}
