import { describe, expect, it } from 'vitest';
import { networkOf, RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('admits `limit` requests per window, then refuses until the window ends', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => limiter.hit('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.hit('a');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(60);
    now += 45_500;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 15 });
    now += 14_500;
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('counts every client on its own', () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000 });
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(false);
    expect(limiter.hit('b').allowed).toBe(true);
  });

  it('keeps its memory bounded under a flood of clients, and forgets finished windows', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 5, windowMs: 1_000, maxClients: 100, now: () => now });
    for (let i = 0; i < 10_000; i += 1) limiter.hit(`client-${i}`);
    expect(limiter.trackedClients).toBeLessThanOrEqual(101);
    // The flood shares one overflow bucket, so it is limited too.
    expect(limiter.hit('client-9999').allowed).toBe(false);
    now += 1_000;
    limiter.hit('late');
    expect(limiter.trackedClients).toBe(1);
  });
});

describe('networkOf', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped IPv6, and reduces IPv6 to its /64', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
  });
});
