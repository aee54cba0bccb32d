import { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';

/** How long `/health` reuses its last look at the database. */
export const HEALTH_CACHE_MS = 2_000;

export interface HealthDeps {
  db: Kysely<Database>;
  dbKind: DatabaseKind;
  /** The clock the cached status ages by; tests pass one they move. */
  now?: () => Date;
}

/**
 * `GET /health`: the process is up and its database answered within the last few seconds. Anyone
 * may call it, so it must not cost a query per call: one check every HEALTH_CACHE_MS serves every
 * caller in between (and callers arriving during a check wait for that one). A failed check is
 * kept as long, so a database in trouble is not hammered by monitors either.
 *
 * `GET /health/ready`: asks the database now, for the orchestrator's readiness probe (on a port
 * the public does not reach; see docs/operations.md). Same body, 503 when the database is away.
 */
export function createHealthRoutes({ db, dbKind, now = () => new Date() }: HealthDeps) {
  const checkDatabase = async () => {
    await sql`select 1`.execute(db);
  };
  let last: { at: number; outcome: Promise<void> } | undefined;
  const cachedCheck = (): Promise<void> => {
    const at = now().getTime();
    if (!last || at - last.at >= HEALTH_CACHE_MS || at < last.at) {
      const outcome = checkDatabase();
      // A rejection is handled by whoever awaits it; this only keeps Node from reporting it unhandled.
      outcome.catch(() => {});
      last = { at, outcome };
    }
    return last.outcome;
  };

  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await cachedCheck();
      return c.json({ status: 'ok', db: dbKind });
    })
    .get('/ready', async (c) => {
      await checkDatabase();
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'ok', db: dbKind });
    });
}
