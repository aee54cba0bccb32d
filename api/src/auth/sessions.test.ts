import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/test-database.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { login, loginAsDemo } from '../../../tests/support/staff-session.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { setAccountDisabled } from './account-management.ts';
import { createAccount } from './accounts.ts';
import { SESSION_LIFETIME_MS } from './session-token.ts';
import { SessionStore } from './sessions.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('session store: idle timeout beside the absolute lifetime (moved clock, no waiting)', () => {
  let database: DatabaseHandle;
  let userId: string;
  let adminId: string;
  beforeAll(async () => {
    database = await openTestDatabase();
    await migrateToLatest(database.db);
    userId = (await createAccount(database.db, { email: 'idle@example.org', password: 'a-long-enough-password', role: 'analyst' })).id;
    adminId = (await createAccount(database.db, { email: 'boss@example.org', password: 'a-long-enough-password', role: 'admin' })).id;
  });
  afterAll(() => database.close());

  const clockAt = (start: number) => {
    const clock = { ms: start, now: () => new Date(clock.ms) };
    return clock;
  };

  it('ends a session unused for the idle timeout (default 2 h) and deletes it', async () => {
    const clock = clockAt(Date.UTC(2026, 11, 2, 8));
    const store = new SessionStore(database.db, { now: clock.now });
    const { token } = await store.start(userId);
    clock.ms += 2 * HOUR - MINUTE;
    expect(await store.resolve(token)).not.toBeNull();
    // Used a minute before the timeout: the two hours start again from that use.
    clock.ms += 2 * HOUR - MINUTE;
    expect(await store.resolve(token)).not.toBeNull();
    clock.ms += 2 * HOUR;
    expect(await store.resolve(token)).toBeNull();
    const left = await database.db.selectFrom('session').select('id_hash').where('user_id', '=', userId).execute();
    expect(left).toEqual([]);
  });

  it('keeps the 12 h absolute lifetime for a session in constant use', async () => {
    const clock = clockAt(Date.UTC(2026, 11, 3, 6));
    const store = new SessionStore(database.db, { now: clock.now });
    const { token } = await store.start(userId);
    const end = clock.ms + SESSION_LIFETIME_MS;
    while (clock.ms + 30 * MINUTE < end) {
      clock.ms += 30 * MINUTE;
      expect(await store.resolve(token)).not.toBeNull();
    }
    clock.ms = end;
    expect(await store.resolve(token)).toBeNull();
  });

  it('honours a configured idle timeout', async () => {
    const clock = clockAt(Date.UTC(2026, 11, 4, 6));
    const store = new SessionStore(database.db, { now: clock.now, idleTimeoutMs: 15 * MINUTE });
    const { token } = await store.start(userId);
    clock.ms += 14 * MINUTE;
    expect(await store.resolve(token)).not.toBeNull();
    clock.ms += 15 * MINUTE;
    expect(await store.resolve(token)).toBeNull();
  });

  it('purges idle sessions of everyone at the next login', async () => {
    const clock = clockAt(Date.UTC(2026, 11, 5, 6));
    const store = new SessionStore(database.db, { now: clock.now });
    const { token } = await store.start(userId);
    clock.ms += 3 * HOUR;
    await store.start(adminId);
    const rows = await database.db.selectFrom('session').select('user_id').execute();
    expect(rows.map((row) => row.user_id)).toEqual([adminId]);
    expect(await store.resolve(token)).toBeNull();
  });

  it('disabling an account deletes its sessions, so re-enabling it does not revive them', async () => {
    const store = new SessionStore(database.db);
    const { token } = await store.start(userId);
    expect(await store.resolve(token)).not.toBeNull();
    await setAccountDisabled(database.db, adminId, userId, true);
    expect(await database.db.selectFrom('session').select('id_hash').where('user_id', '=', userId).execute()).toEqual([]);
    await setAccountDisabled(database.db, adminId, userId, false);
    expect(await store.resolve(token)).toBeNull();
  });
});

describe('SESSION_IDLE_MINUTES reaches the app', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { sessionIdleMinutes: 5 } });
  });
  afterAll(() => platform?.close());

  it('refuses a session last used longer ago than the configured minutes, not one used within them', async () => {
    const stale = await loginAsDemo(platform.app, 'analyst');
    const fresh = await login(platform.app, 'fresh.analyst@example.org', 'a-long-enough-password').catch(async () => {
      await createAccount(platform.database.db, { email: 'fresh.analyst@example.org', password: 'a-long-enough-password', role: 'analyst' });
      return login(platform.app, 'fresh.analyst@example.org', 'a-long-enough-password');
    });
    const ages = { [stale.user.id]: 6, [fresh.user.id]: 4 };
    for (const [id, minutes] of Object.entries(ages)) {
      await platform.database.db
        .updateTable('session')
        .set({ last_seen_at: sql<Date>`now() - make_interval(mins => ${minutes})` })
        .where('user_id', '=', id)
        .execute();
    }
    expect((await platform.app.request('/api/auth/me', { headers: stale.headers() })).status).toBe(401);
    expect((await platform.app.request('/api/auth/me', { headers: fresh.headers() })).status).toBe(200);
  });
});
