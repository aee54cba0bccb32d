import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { BODY_LIMIT_RULES, DEFAULT_BODY_LIMIT } from './body-limits.ts';
import { DEFAULT_PUBLIC_WRITE_LIMIT_PER_MINUTE } from './public-write-limits.ts';

/** A request as if from a socket at `address` (what @hono/node-server's getConnInfo reads). */
const fromAddress = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
  expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
  expect(csp).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
  expect(csp).toMatch(/(^|; )object-src 'none'(;|$)/);
  expect(csp).toMatch(/(^|; )style-src-elem 'self'(;|$)/);
  expect(csp).toMatch(/(^|; )base-uri 'none'(;|$)/);
  expect(csp).not.toMatch(/script-src[^;]*('unsafe-inline'|'unsafe-eval'|\*)/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-powered-by')).toBeNull();
}

describe('hardening of every answer', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
  });
  afterAll(() => platform?.close());

  it('sends the security headers on successes, errors, 404s and refused requests alike', async () => {
    const requests: [string, RequestInit?][] = [
      ['/health'],
      ['/api/surveys'],
      ['/api/surveys/mini'],
      ['/api/surveys/no-such-survey'],
      ['/no/such/page'],
      ['/'],
      ['/api/auth/me'],
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }],
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }],
    ];
    for (const [path, init] of requests) {
      const response = await platform.app.request(path, init);
      expectSecurityHeaders(response);
    }
  });

  it('sends no CORS headers, not even to a foreign origin asking for staff routes', async () => {
    const origin = { origin: 'https://evil.example' };
    const responses = await Promise.all([
      platform.app.request('/api/auth/me', { headers: origin }),
      platform.app.request('/api/auth/login', {
        method: 'POST',
        headers: { ...origin, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@b.example', password: 'x' }),
      }),
      platform.app.request('/api/auth/login', {
        method: 'OPTIONS',
        headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
      platform.app.request('/api/analysis/resident-baseline/aggregate.csv', { headers: origin }),
      platform.app.request('/api/surveys', { headers: origin }),
    ]);
    for (const response of responses) {
      for (const name of response.headers.keys()) expect(name).not.toMatch(/^access-control-/);
    }
  });

  it('refuses a body over the default limit with 413 before reading it whole, with or without Content-Length', async () => {
    const big = JSON.stringify({ email: 'x'.repeat(DEFAULT_BODY_LIMIT), password: 'y' });
    const declared = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });

    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i += 1) controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        controller.close();
      },
    });
    const chunked = await platform.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('refuses an oversized body on every write route, before authentication, at the limit of its group', async () => {
    // app.routes lists middleware too (the rate limits are mounted per method): one check per route.
    const writeRoutes = [
      ...new Map(
        platform.app.routes
          .filter((route) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method))
          .map((route) => [`${route.method} ${route.path}`, route]),
      ).values(),
    ];
    expect(writeRoutes.length).toBeGreaterThan(10);
    for (const route of writeRoutes) {
      const path = route.path.replace(/:[^/]+/g, 'x');
      const ceiling = BODY_LIMIT_RULES.find((rule) => path === rule.prefix || path.startsWith(`${rule.prefix}/`))?.maxBytes ?? DEFAULT_BODY_LIMIT;
      const response = await platform.app.request(path, {
        method: route.method,
        headers: { 'content-type': 'application/json', 'content-length': String(ceiling + 1) },
        body: '{}',
      });
      expect(response.status, `${route.method} ${route.path}`).toBe(413);
    }
    // The JSON routes stay small; only media and the interviewers' batches may be larger.
    expect(Math.max(...BODY_LIMIT_RULES.map((rule) => rule.maxBytes))).toBeLessThanOrEqual(25 * 1024 * 1024);
    expect(DEFAULT_BODY_LIMIT).toBeLessThanOrEqual(256 * 1024);
  });

  it('rate-limits public writes per address: 429 with Retry-After and the standard error shape', async () => {
    const submit = (address: string) =>
      platform.app.request(
        '/api/surveys/mini/responses',
        { method: 'POST', headers: { 'content-type': 'text/plain', 'accept-language': 'en' }, body: 'not json' },
        fromAddress(address),
      );
    const statuses: number[] = [];
    for (let i = 0; i < DEFAULT_PUBLIC_WRITE_LIMIT_PER_MINUTE; i += 1) statuses.push((await submit('198.51.100.20')).status);
    expect(statuses).not.toContain(429);

    const refused = await submit('198.51.100.20');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/try again/) } });
    expectSecurityHeaders(refused);

    // Another address, and another route group from the same address, are not affected.
    expect((await submit('198.51.100.21')).status).not.toBe(429);
    const contact = await platform.app.request(
      '/api/contacts',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
      fromAddress('198.51.100.20'),
    );
    expect(contact.status).not.toBe(429);
  });

  it('counts an IPv6 client per /64, so hopping between its addresses does not escape the limit', async () => {
    const lookUp = (address: string) =>
      platform.app.request('/api/drafts/AAAA-BBBB-CCCC', {}, fromAddress(address));
    for (let i = 0; i < DEFAULT_PUBLIC_WRITE_LIMIT_PER_MINUTE; i += 1) {
      expect((await lookUp(`2001:db8:7:7::${(i + 1).toString(16)}`)).status).not.toBe(429);
    }
    expect((await lookUp('2001:db8:7:7:ffff::1')).status).toBe(429);
    expect((await lookUp('2001:db8:7:8::1')).status).not.toBe(429);
  });
});
