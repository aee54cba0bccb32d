import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './login-rate-limit.ts';

const options = { windowMs: 60_000, maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, maxKeys: 1000, knownNetworkMs: 3_600_000 };

describe('LoginRateLimiter', () => {
  it('blocks an account after its failures and frees it when the oldest failure leaves the window', () => {
    let now = 1_000_000;
    const limiter = new LoginRateLimiter(options, () => now);
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.begin({ email: 'A@example.org', address: `a${i}` }).allowed).toBe(true);
      now += 10_000;
    }
    const blocked = limiter.begin({ email: 'a@example.org', address: 'other' });
    expect(blocked).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 30_000;
    expect(limiter.begin({ email: 'a@example.org', address: 'other' }).allowed).toBe(true);
  });

  it('counts attempts still in flight, so parallel guesses cannot slip past the limit', () => {
    const limiter = new LoginRateLimiter(options, () => 0);
    const admitted = Array.from({ length: 10 }, () => limiter.begin({ email: 'b@example.org', address: 'x' }));
    expect(admitted.filter((attempt) => attempt.allowed)).toHaveLength(3);
  });

  it('forgives the account on success but keeps counting the address', () => {
    const limiter = new LoginRateLimiter(options, () => 0);
    for (let i = 0; i < 2; i += 1) limiter.begin({ email: 'c@example.org', address: 'y' });
    const good = limiter.begin({ email: 'c@example.org', address: 'y' });
    if (!good.allowed) throw new Error('expected the third attempt to be admitted');
    good.succeeded();
    expect(limiter.begin({ email: 'c@example.org', address: 'y' }).allowed).toBe(true);
    // The address holds its two earlier failures plus the three attempts since: it is at its limit.
    expect(limiter.begin({ email: 'd@example.org', address: 'y' }).allowed).toBe(true);
    expect(limiter.begin({ email: 'e@example.org', address: 'y' }).allowed).toBe(true);
    expect(limiter.begin({ email: 'f@example.org', address: 'y' }).allowed).toBe(false);
  });

  it('counts IPv6 addresses per /64, so rotating through one network does not escape the limit', () => {
    const limiter = new LoginRateLimiter(options, () => 0);
    for (let i = 0; i < 5; i += 1) {
      expect(limiter.begin({ email: `u${i}@example.org`, address: `2001:db8:1:2::${i + 1}` }).allowed).toBe(true);
    }
    expect(limiter.begin({ email: 'u9@example.org', address: '2001:db8:1:2:ffff::7' }).allowed).toBe(false);
    // Another /64 is another network.
    expect(limiter.begin({ email: 'u9@example.org', address: '2001:db8:1:3::1' }).allowed).toBe(true);
  });

  it('does not hand out a lock-out: a network that logged in before keeps working while strangers are refused', () => {
    let now = 0;
    const limiter = new LoginRateLimiter(options, () => now);
    const own = limiter.begin({ email: 'staff@example.org', address: '2001:db8:aa:1::10' });
    if (!own.allowed) throw new Error('expected the first login to be admitted');
    own.succeeded();
    now += 1000;
    // A stranger guesses until the account is locked for strangers.
    for (let i = 0; i < 3; i += 1) limiter.begin({ email: 'staff@example.org', address: '198.51.100.7' });
    expect(limiter.begin({ email: 'staff@example.org', address: '203.0.113.9' }).allowed).toBe(false);
    // The staff member's own network (another address in the same /64) still gets through.
    expect(limiter.begin({ email: 'staff@example.org', address: '2001:db8:aa:1::22' }).allowed).toBe(true);
    // Once the memory of the network has expired, it is a stranger again.
    now += options.knownNetworkMs;
    for (let i = 0; i < 3; i += 1) limiter.begin({ email: 'staff@example.org', address: '198.51.100.7' });
    expect(limiter.begin({ email: 'staff@example.org', address: '2001:db8:aa:1::22' }).allowed).toBe(false);
  });

  it('stays within its key bound under a flood of addresses', () => {
    const limiter = new LoginRateLimiter({ ...options, maxKeys: 100 }, () => 0);
    for (let i = 0; i < 1000; i += 1) limiter.begin({ email: `e${i}@example.org`, address: `10.0.${i >> 8}.${i & 255}` });
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(100);
  });
});
