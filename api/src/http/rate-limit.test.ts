import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openTestDatabase } from '../../../tests/support/test-database.ts';
import { networkOf, purgeExpiredLimits, RateLimiter } from './rate-limit.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.close());

describe('RateLimiter (counted in the database)', () => {
  it('admits `limit` requests per window, then refuses until the window ends', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(database.db, { bucket: 'fixed', limit: 3, windowMs: 60_000, now: () => now });
    const first = [];
    for (let i = 0; i < 3; i += 1) first.push((await limiter.hit('a')).allowed);
    expect(first).toEqual([true, true, true]);
    const refused = await limiter.hit('a');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(60);
    now += 45_500;
    expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    now += 14_500;
    expect((await limiter.hit('a')).allowed).toBe(true);
  });

  it('counts every client and every bucket on its own', async () => {
    const limiter = new RateLimiter(database.db, { bucket: 'own', limit: 1, windowMs: 60_000 });
    const other = new RateLimiter(database.db, { bucket: 'other', limit: 1, windowMs: 60_000 });
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.hit('a')).allowed).toBe(false);
    expect((await limiter.hit('b')).allowed).toBe(true);
    expect((await other.hit('a')).allowed).toBe(true);
  });

  it('shares one count between limiters of one bucket, as two app processes do, also under concurrent hits', async () => {
    // Limit 100: each process may count its first tenth (10) in memory; so two processes let at most
    // 100 + 10 through, one process exactly 100.
    const one = new RateLimiter(database.db, { bucket: 'shared', limit: 100, windowMs: 60_000 });
    const two = new RateLimiter(database.db, { bucket: 'shared', limit: 100, windowMs: 60_000 });
    const decisions = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? one : two).hit('c')));
    const allowed = decisions.filter((decision) => decision.allowed).length;
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(110);
    const alone = new RateLimiter(database.db, { bucket: 'alone', limit: 100, windowMs: 60_000 });
    const single = await Promise.all(Array.from({ length: 300 }, () => alone.hit('c')));
    expect(single.filter((decision) => decision.allowed)).toHaveLength(100);
  });

  it('counts a client far below its limit in memory and writes all such clients in one go', async () => {
    const hitsInDatabase = async (clientKey: string) =>
      (await database.db.selectFrom('rate_limit_window').select('hits').where('bucket', '=', 'batched').where('client_key', '=', clientKey).executeTakeFirst())?.hits ?? 0;
    const one = new RateLimiter(database.db, { bucket: 'batched', limit: 120, windowMs: 60_000 });
    const two = new RateLimiter(database.db, { bucket: 'batched', limit: 120, windowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) expect((await one.hit('resident-a')).allowed).toBe(true);
    expect((await one.hit('resident-b')).allowed).toBe(true);
    expect(await hitsInDatabase('resident-a')).toBe(0);
    await one.flush();
    expect(await hitsInDatabase('resident-a')).toBe(5);
    expect(await hitsInDatabase('resident-b')).toBe(1);
    // The other process adds its own and learns the total when it writes.
    for (let i = 0; i < 4; i += 1) await two.hit('resident-a');
    await two.flush();
    expect(await hitsInDatabase('resident-a')).toBe(9);
    // From the twelfth hit on (a tenth of 120) the process counts in the database request by request.
    for (let i = 0; i < 7; i += 1) await two.hit('resident-a');
    expect(await hitsInDatabase('resident-a')).toBe(9 + 7);
  });

  it('writes the in-memory count by itself within the flush interval', async () => {
    const limiter = new RateLimiter(database.db, { bucket: 'timer', limit: 120, windowMs: 60_000 });
    await limiter.hit('resident');
    const hits = async () => (await database.db.selectFrom('rate_limit_window').select('hits').where('bucket', '=', 'timer').executeTakeFirst())?.hits ?? 0;
    await expect.poll(hits, { timeout: 10_000 }).toBe(1);
  });

  it('keeps hits counted in memory when a write fails, and writes them with the next one', async () => {
    const limiter = new RateLimiter(database.db, { bucket: 'retry', limit: 120, windowMs: 60_000 });
    await limiter.hit('resident');
    await limiter.hit('resident');
    // A write that fails: the table renamed away for a moment.
    await sql`alter table rate_limit_window rename to rate_limit_window_away`.execute(database.db);
    await expect(limiter.flush()).rejects.toThrow();
    await sql`alter table rate_limit_window_away rename to rate_limit_window`.execute(database.db);
    await limiter.hit('resident');
    await limiter.flush();
    const row = await database.db.selectFrom('rate_limit_window').select('hits').where('bucket', '=', 'retry').executeTakeFirstOrThrow();
    expect(row.hits).toBe(3);
  });

  it('purges finished windows, so a flood of clients leaves no rows behind', async () => {
    let now = 5_000_000;
    const limiter = new RateLimiter(database.db, { bucket: 'flood', limit: 5, windowMs: 1_000, now: () => now });
    for (let i = 0; i < 200; i += 1) await limiter.hit(`client-${i}`);
    const count = async () =>
      Number((await database.db.selectFrom('rate_limit_window').select((eb) => eb.fn.countAll().as('n')).where('bucket', '=', 'flood').executeTakeFirstOrThrow()).n);
    expect(await count()).toBe(200);
    now += 1_000;
    await purgeExpiredLimits(database.db, new Date(now));
    expect(await count()).toBe(0);
  });

  it('stores no address: the client key is all that is written', async () => {
    const rows = await database.db.selectFrom('rate_limit_window').selectAll().execute();
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['bucket', 'client_key', 'hits', 'window_ends_at']);
  });
});

describe('networkOf', () => {
  it('keeps IPv4 addresses and reduces IPv6 to its /64', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
  });
});
