import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openTestDatabase } from '../../../tests/support/test-database.ts';
import { LoginRateLimiter } from './login-rate-limit.ts';

const options = { windowMs: 60_000, maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, knownNetworkMs: 3_600_000 };

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.close());

// Each test its own key: the counters of one test are then invisible to the next.
const limiterAt = (now: () => number, key = randomBytes(32)) => new LoginRateLimiter(database.db, key, options, now);
const allowed = async (limiter: LoginRateLimiter, email: string, address: string) => (await limiter.begin({ email, address })).allowed;

describe('LoginRateLimiter (counted in the database)', () => {
  it('blocks an account after its failures and frees it when the oldest failure leaves the window', async () => {
    let now = 1_000_000;
    const limiter = limiterAt(() => now);
    for (let i = 0; i < 3; i += 1) {
      expect(await allowed(limiter, 'A@example.org', `10.0.0.${i}`)).toBe(true);
      now += 10_000;
    }
    expect(await limiter.begin({ email: 'a@example.org', address: '10.9.9.9' })).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(await allowed(limiter, 'a@example.org', '10.9.9.9')).toBe(true);
  });

  it('counts attempts still in flight, so parallel guesses cannot slip past the limit', async () => {
    const limiter = limiterAt(() => 0);
    const admitted = await Promise.all(Array.from({ length: 10 }, () => limiter.begin({ email: 'b@example.org', address: '10.1.1.1' })));
    expect(admitted.filter((attempt) => attempt.allowed)).toHaveLength(3);
  });

  it('shares its counts between limiters with one key, as several app processes do', async () => {
    const key = randomBytes(32);
    const one = limiterAt(() => 0, key);
    const two = limiterAt(() => 0, key);
    const admitted = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).begin({ email: 'shared@example.org', address: `10.2.0.${i}` })));
    expect(admitted.filter((attempt) => attempt.allowed)).toHaveLength(3);
  });

  it('forgives the account on success but keeps counting the address', async () => {
    const limiter = limiterAt(() => 0);
    for (let i = 0; i < 2; i += 1) await limiter.begin({ email: 'c@example.org', address: '10.3.3.3' });
    const good = await limiter.begin({ email: 'c@example.org', address: '10.3.3.3' });
    if (!good.allowed) throw new Error('expected the third attempt to be admitted');
    await good.succeeded();
    expect(await allowed(limiter, 'c@example.org', '10.3.3.3')).toBe(true);
    // The address holds its two earlier failures plus the three attempts since: it is at its limit.
    expect(await allowed(limiter, 'd@example.org', '10.3.3.3')).toBe(true);
    expect(await allowed(limiter, 'e@example.org', '10.3.3.3')).toBe(true);
    expect(await allowed(limiter, 'f@example.org', '10.3.3.3')).toBe(false);
  });

  it('counts IPv6 addresses per /64, so rotating through one network does not escape the limit', async () => {
    const limiter = limiterAt(() => 0);
    for (let i = 0; i < 5; i += 1) expect(await allowed(limiter, `u${i}@example.org`, `2001:db8:1:2::${i + 1}`)).toBe(true);
    expect(await allowed(limiter, 'u9@example.org', '2001:db8:1:2:ffff::7')).toBe(false);
    // Another /64 is another network.
    expect(await allowed(limiter, 'u9@example.org', '2001:db8:1:3::1')).toBe(true);
  });

  it('does not hand out a lock-out: a network that logged in before keeps working while strangers are refused', async () => {
    let now = 0;
    const limiter = limiterAt(() => now);
    const own = await limiter.begin({ email: 'staff@example.org', address: '2001:db8:aa:1::10' });
    if (!own.allowed) throw new Error('expected the first login to be admitted');
    await own.succeeded();
    now += 1000;
    // A stranger guesses until the account is locked for strangers.
    for (let i = 0; i < 3; i += 1) await limiter.begin({ email: 'staff@example.org', address: '198.51.100.7' });
    expect(await allowed(limiter, 'staff@example.org', '203.0.113.9')).toBe(false);
    // The staff member's own network (another address in the same /64) still gets through.
    expect(await allowed(limiter, 'staff@example.org', '2001:db8:aa:1::22')).toBe(true);
    // Once the memory of the network has expired, it is a stranger again.
    now += options.knownNetworkMs;
    for (let i = 0; i < 3; i += 1) await limiter.begin({ email: 'staff@example.org', address: '198.51.100.7' });
    expect(await allowed(limiter, 'staff@example.org', '2001:db8:aa:1::22')).toBe(false);
  });

  it('stores neither an address nor an email, and purges what has left the window', async () => {
    let now = 10_000_000;
    const limiter = limiterAt(() => now);
    const attempt = await limiter.begin({ email: 'private@example.org', address: '192.0.2.44' });
    if (attempt.allowed) await attempt.succeeded();
    await limiter.begin({ email: 'private@example.org', address: '192.0.2.45' });
    const stored = JSON.stringify([
      await database.db.selectFrom('login_failure').selectAll().execute(),
      await database.db.selectFrom('login_known_network').selectAll().execute(),
    ]);
    for (const secret of ['192.0.2', 'private', 'example.org']) expect(stored).not.toContain(secret);
    // Past the window and the known-network time, the next attempt's purge leaves only its own rows.
    now += options.knownNetworkMs + options.windowMs;
    await limiter.begin({ email: 'later@example.org', address: '192.0.2.46' });
    expect(await database.db.selectFrom('login_failure').select('id').execute()).toHaveLength(2);
    expect(await database.db.selectFrom('login_known_network').select('network_key').execute()).toHaveLength(0);
  });
});
