import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { deletionWarnings } from './deletion-dates.ts';

/** `GET /api/admin/retention`: the deletion dates and whether one is 30 or 7 days away. */
export function createRetentionRoutes({ db, now = () => new Date() }: { db: Kysely<Database>; now?: () => Date }) {
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => c.json({ warnings: await deletionWarnings(db, now()) }));
}
