import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { demoAccounts } from '../demo/demo-accounts.ts';

const analyst = demoAccounts.find((account) => account.role === 'analyst')!;

/**
 * TLS as the app sees it: directly (an https URL, what @hono/node-server builds for a TLS socket),
 * or via X-Forwarded-Proto from a proxy, which counts only with TRUST_PROXY=true.
 */
describe('TLS-dependent answers: HSTS, the Secure flag and the __Host- cookie', () => {
  let direct: TestPlatform;
  let proxied: TestPlatform;
  beforeAll(async () => {
    direct = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { trustProxy: false } });
    proxied = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR, config: { trustProxy: true } });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  const loginAt = (platform: TestPlatform, url: string, headers: Record<string, string> = {}) =>
    platform.app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: analyst.email, password: analyst.password }),
    });

  it('sends HSTS only over TLS, on errors too; X-Forwarded-Proto alone counts only behind a trusted proxy', async () => {
    const hsts = async (platform: TestPlatform, url: string, headers?: Record<string, string>) =>
      (await platform.app.request(url, { headers })).headers.get('strict-transport-security');
    expect(await hsts(direct, 'http://localhost/health')).toBeNull();
    expect(await hsts(direct, 'http://localhost/no/such/page')).toBeNull();
    expect(await hsts(direct, 'http://localhost/health', { 'x-forwarded-proto': 'https' })).toBeNull();
    expect(await hsts(direct, 'https://localhost/health')).toMatch(/^max-age=\d{7,}/);
    expect(await hsts(direct, 'https://localhost/api/no-such-route')).toMatch(/^max-age=\d{7,}/);
    expect(await hsts(proxied, 'http://localhost/health')).toBeNull();
    expect(await hsts(proxied, 'http://localhost/health', { 'x-forwarded-proto': 'https' })).toMatch(/^max-age=\d{7,}/);
  });

  it('does not mark the cookie Secure for a plain-HTTP client that claims X-Forwarded-Proto: https without TRUST_PROXY', async () => {
    const res = await loginAt(direct, 'http://localhost/api/auth/login', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^vs_session=/);
    expect(setCookie).not.toMatch(/; Secure/);
  });

  it('over TLS names the cookie __Host-vs_session: Secure, Path=/, no Domain; only that name signs in there', async () => {
    const res = await loginAt(direct, 'https://localhost/api/auth/login');
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-vs_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const token = /^__Host-vs_session=([^;]+)/.exec(setCookie)![1]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };

    const me = (url: string, cookie: string) => direct.app.request(url, { headers: { cookie } });
    expect((await me('https://localhost/api/auth/me', `__Host-vs_session=${token}`)).status).toBe(200);
    // A plain-named cookie over TLS may have been planted by a plain-HTTP page or a subdomain.
    expect((await me('https://localhost/api/auth/me', `vs_session=${token}`)).status).toBe(401);

    const logout = await direct.app.request('https://localhost/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `__Host-vs_session=${token}`, 'x-csrf-token': csrfToken },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^__Host-vs_session=;.*Max-Age=0.*; Secure/);
    expect((await me('https://localhost/api/auth/me', `__Host-vs_session=${token}`)).status).toBe(401);
  });

  it('behind a trusted proxy that says https: the __Host- cookie, Secure', async () => {
    const res = await loginAt(proxied, 'http://localhost/api/auth/login', { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-vs_session=/);
    expect(setCookie).toMatch(/; Secure/);
    // The same proxy forwarding plain HTTP: the plain name, not Secure.
    const plain = (await loginAt(proxied, 'http://localhost/api/auth/login', { 'x-forwarded-proto': 'http' })).headers.get('set-cookie')!;
    expect(plain).toMatch(/^vs_session=/);
    expect(plain).not.toMatch(/; Secure/);
  });
});
