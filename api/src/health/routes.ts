import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';

/** `GET /health`: the process is up and its database answers. */
export function createHealthRoutes({ db, dbKind }: { db: Kysely<Database>; dbKind: DatabaseKind }) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await sql`select 1`.execute(db);
    return c.json({ status: 'ok', db: dbKind });
  });
}
